"""Warm-up campaign rules (预热): reservation rewards, invite rewards and the invitation PK
leaderboard where KOC captains compete with their teams. Pure functions over rows."""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from liveroom.core.errors import Invalid


@dataclass(frozen=True)
class ReservationFact:
    buyer_id: str
    channel: str
    created_at: datetime
    invited_by: str | None = None
    team: str | None = None


def validate_config(config: dict[str, Any]) -> dict[str, Any]:
    first_n = config.get("reward_first_n", 0)
    if not isinstance(first_n, int) or first_n < 0:
        raise Invalid("reward_first_n must be a non-negative integer", field="reward_first_n")
    steps = config.get("invite_rewards", [])
    counts: list[Any] = [s.get("invites") for s in steps if isinstance(s, dict)]
    if len(counts) != len(steps) or any(not isinstance(c, int) or c <= 0 for c in counts) \
            or counts != sorted(set(counts)):
        raise Invalid("invite_rewards: [{invites, reward}] with rising positive invite counts",
                      field="invite_rewards")
    names: set[str] = set()
    captains: set[str] = set()
    for team in config.get("teams", []):
        name, captain = team.get("name"), team.get("captain")
        if not name or not captain or name in names or captain in captains:
            raise Invalid("teams need a unique name and a unique captain (KOC)", field="teams")
        names.add(name)
        captains.add(captain)
    return config


def team_of_captain(config: dict[str, Any], buyer_id: str | None) -> str | None:
    for team in config.get("teams", []):
        if buyer_id and (team["captain"] == buyer_id or buyer_id in team.get("members", [])):
            return str(team["name"])
    return None


def rewards_for(config: dict[str, Any], rank: int, invites: int) -> list[str]:
    """Rewards earned by the buyer with this reservation rank and invite count."""
    out = []
    first_n = config.get("reward_first_n", 0)
    if first_n and rank <= first_n:
        out.append(config.get("first_n_reward", f"前{first_n}名预约礼"))
    out.extend(str(step["reward"]) for step in config.get("invite_rewards", [])
               if invites >= step["invites"])
    return out


def leaderboard(config: dict[str, Any], rows: Iterable[ReservationFact],
                top: int = 10) -> dict[str, Any]:
    """The invitation PK: teams ranked by reservations credited to them, with their captain
    and the best inviters; plus the overall inviter ranking."""
    rows = list(rows)
    invites = Counter(r.invited_by for r in rows if r.invited_by)
    per_team: dict[str, int] = Counter(r.team for r in rows if r.team)
    members: dict[str, set[str]] = defaultdict(set)
    for r in rows:
        if r.team and r.invited_by:
            members[r.team].add(r.invited_by)
    teams = []
    for team in config.get("teams", []):
        name = team["name"]
        ranked = sorted(members[name] | {team["captain"]}, key=lambda b: (-invites[b], b))
        teams.append({"team": name, "captain": team["captain"],
                      "reservations": per_team.get(name, 0),
                      "top_inviters": [{"buyer_id": b, "invites": invites[b]}
                                       for b in ranked[:top] if invites[b]]})
    teams.sort(key=lambda t: (-t["reservations"], t["team"]))
    for i, t in enumerate(teams, 1):
        t["rank"] = i
    inviters = [{"buyer_id": b, "invites": n}
                for b, n in sorted(invites.items(), key=lambda kv: (-kv[1], kv[0]))[:top]]
    return {"teams": teams, "inviters": inviters, "prize": config.get("team_prize", "")}


def reservation_curve(rows: Iterable[ReservationFact], bucket_minutes: int = 60,
                      ) -> list[dict[str, Any]]:
    """Reservations per time bucket with the running total (the 预约曲线)."""
    counts: Counter[datetime] = Counter()
    for r in rows:
        at = r.created_at
        minute = (at.hour * 60 + at.minute) // bucket_minutes * bucket_minutes
        counts[at.replace(hour=minute // 60, minute=minute % 60, second=0, microsecond=0)] += 1
    total = 0
    out = []
    for at in sorted(counts):
        total += counts[at]
        out.append({"at": at.isoformat(), "count": counts[at], "cumulative": total})
    return out
