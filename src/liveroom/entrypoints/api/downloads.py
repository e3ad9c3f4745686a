"""One way to hand a file to the browser: the media type from the file's extension and a
Content-Disposition that names it (an ASCII name plus the UTF-8 one for Chinese names)."""

from __future__ import annotations

from urllib.parse import quote

from fastapi.responses import Response

MEDIA = {"csv": "text/csv; charset=utf-8",
         "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
         "pdf": "application/pdf", "md": "text/markdown; charset=utf-8",
         "html": "text/html; charset=utf-8", "json": "application/json"}


def download(body: bytes | str, filename: str) -> Response:
    ext = filename.rsplit(".", 1)[-1].lower()
    data = body.encode("utf-8") if isinstance(body, str) else body
    ascii_name = filename.encode("ascii", "replace").decode().replace("?", "_").replace('"', "")
    disposition = f'attachment; filename="{ascii_name}"'
    if ascii_name != filename:
        disposition += f"; filename*=UTF-8''{quote(filename)}"
    return Response(data, media_type=MEDIA.get(ext, "application/octet-stream"),
                    headers={"Content-Disposition": disposition})
