"""The message bus: checks permission, runs a command's handler in a unit of work, then
relays the committed events."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, Protocol

from liveroom.core.clock import Clock
from liveroom.core.messages import Command


class UnitOfWork(Protocol):
    def __enter__(self) -> Any: ...

    def __exit__(self, exc_type: Any, exc: Any, tb: Any) -> None: ...

    def commit(self) -> None: ...


class Relay(Protocol):
    def drain(self) -> int: ...


@dataclass(frozen=True)
class Context:
    actor: Any  # identity.model.Actor; core stays free of domain imports
    clock: Clock
    settings: Any


Handler = Callable[[Any, Any, Context], Any]


class MessageBus:
    def __init__(self, uow_factory: Callable[[], UnitOfWork], relay: Relay, clock: Clock,
                 settings: Any) -> None:
        self.uow_factory = uow_factory
        self.relay = relay
        self.clock = clock
        self.settings = settings
        self.handlers: dict[type[Command], Handler] = {}

    def register(self, handlers: dict[type[Command], Handler]) -> None:
        self.handlers.update(handlers)

    def handle(self, cmd: Command, actor: Any, *, relay: bool = True) -> Any:
        """Run a command. Subscribers, which already run inside the relay, pass
        relay=False: their events then leave on the relay's next tick."""
        action = getattr(cmd, "action", None)
        if action is not None:
            actor.require(action)
        handler = self.handlers[type(cmd)]
        with self.uow_factory() as uow:
            result = handler(cmd, uow, Context(actor, self.clock, self.settings))
        if relay:
            self.relay.drain()
        return result
