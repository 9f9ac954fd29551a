"""The workbench's web application (Starlette): the page, a small JSON API under ``/api``, and the
built packages under ``/packages``, so a player page plays from the server as from a USB stick (with
a link back to the workbench added on the way).

Safe by default: it binds to loopback; a POST from another origin is refused (no other page the
user has open can drive it); away from loopback every request needs the access token printed at
start; uploads are capped and checked by content; no URL reaches outside a package folder.
"""

from __future__ import annotations

import asyncio
import contextlib
import hmac
import json
import mimetypes
import re
import tempfile
from importlib import resources
from pathlib import Path
from urllib.parse import urlsplit

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import FileResponse, HTMLResponse, JSONResponse, Response
from starlette.routing import Route

from ..build.workers import stop_all_workers
from ..errors import AudioguideError, InputError
from .workbench import BuildRunning, NotInPackage, UnknownGuide, UnknownJob, UnknownWord, Workbench, parse_request

DEFAULT_MAX_UPLOAD = 20 * 1024 * 1024
TOKEN_HEADER = "x-audioguide-token"
TOKEN_COOKIE = "audioguide_token"
#: Names a browser on this machine reaches the workbench by, when it listens on loopback.
LOOPBACK_NAMES = {"127.0.0.1", "localhost", "::1"}
#: Files of a package the server hands out; its cache and the workbench's own folder are not.
PACKAGE_FILE = r"[A-Za-z0-9][A-Za-z0-9._-]*"
#: What a player page served by the workbench gets at its top: the way back (the file on disk is unchanged).
BACK_LINK = '<header>\n<p class="workbench-link" lang="en"><a href="/">Back to the workbench</a></p>'


def error(message: str, status: int = 400) -> JSONResponse:
    return JSONResponse({"error": message}, status_code=status)


class Guard:
    """Every request: the token where one is needed; every POST: from the server's own page."""

    def __init__(self, app, token: str | None) -> None:
        self.app, self.token = app, token

    async def __call__(self, scope, receive, send):
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        request = Request(scope)
        refusal = self._refusal(request)
        if refusal is not None:
            await refusal(scope, receive, send)
            return
        if self.token and request.query_params.get("token") == self.token:
            # The link printed at start: set the cookie, and take the token out of the address bar.
            response = Response(status_code=303, headers={"location": request.url.path})
            response.set_cookie(TOKEN_COOKIE, self.token, httponly=True, samesite="strict")
            await response(scope, receive, send)
            return
        await self.app(scope, receive, send)

    def _refusal(self, request: Request) -> Response | None:
        host = (request.url.hostname or "").strip("[]").lower()
        if not self.token and host not in LOOPBACK_NAMES:
            # A page whose name was made to point at this machine (DNS rebinding) is not the workbench.
            return error("this workbench answers only at its own address, such as http://127.0.0.1:8000/", 403)
        if self.token:
            given = request.headers.get(TOKEN_HEADER) or request.cookies.get(TOKEN_COOKIE) or ""
            given = given or request.query_params.get("token", "")
            if not hmac.compare_digest(given.encode(), self.token.encode()):
                return error("this workbench needs its access token: open the link printed when it started", 401)
        if request.method not in ("GET", "HEAD"):
            claimed = request.headers.get("origin") or request.headers.get("referer")
            if claimed is None or _origin(claimed) != _origin(str(request.base_url)):
                return error("refused: only the workbench's own page may change anything", 403)
        return None


def _origin(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}".lower()


def create_app(output: Path, *, token: str | None = None, max_upload: int = DEFAULT_MAX_UPLOAD) -> Starlette:
    bench = Workbench(output)

    assets = resources.files("audioguide.web")
    html = (
        assets.joinpath("page.html")
        .read_text(encoding="utf-8")
        .replace("/*style*/", assets.joinpath("page.css").read_text(encoding="utf-8"))
        .replace("/*script*/", assets.joinpath("page.js").read_text(encoding="utf-8"))
    )

    async def page(request: Request) -> Response:
        # The page runs only its own inline code and fetches only from this server.
        policy = (
            "default-src 'self'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; "
            "img-src 'self' data:; media-src 'self' blob:; connect-src 'self'; frame-ancestors 'none'"
        )
        return HTMLResponse(html, headers={"content-security-policy": policy, "x-frame-options": "DENY"})

    async def add_guide(request: Request) -> Response:
        declared = request.headers.get("content-length")
        if declared is not None and declared.isdigit() and int(declared) > max_upload + 64 * 1024:
            return error(f"the document is larger than {max_upload // (1024 * 1024)} MB; send a smaller one", 413)
        body = bytearray()
        async for chunk in request.stream():
            body += chunk
            if len(body) > max_upload + 64 * 1024:
                return error(f"the document is larger than {max_upload // (1024 * 1024)} MB; send a smaller one", 413)
        kind = request.headers.get("content-type", "")
        if kind.startswith("multipart/form-data"):
            data, name = await _uploaded_file(request, bytes(body), max_upload)
        elif kind.startswith("application/json"):
            payload = _json(bytes(body))
            if not isinstance(payload.get("text"), str):
                raise InputError('send {"text": "the guide", "name": "its name"}, or upload a file as "file"')
            data, name = payload["text"].encode("utf-8"), str(payload.get("name") or "guide")
            if not name.lower().endswith((".md", ".txt")):
                # Pasted text with "#" headings is Markdown; any other is plain text.
                name += ".md" if re.search(r"^#{1,6} \S", payload["text"], re.MULTILINE) else ".txt"
        else:
            raise InputError("send the document as a multipart upload named 'file', or JSON with its text")
        if len(data) > max_upload:
            return error(f"the document is larger than {max_upload // (1024 * 1024)} MB; send a smaller one", 413)
        guide, new = await asyncio.to_thread(bench.add, data, name)
        # The same document added again: the guide already there, as it is.
        return JSONResponse({**guide, "existing": not new}, status_code=201 if new else 200)

    async def list_guides(request: Request) -> Response:
        return JSONResponse(await asyncio.to_thread(bench.guides))

    async def guide_detail(request: Request) -> Response:
        return JSONResponse(await asyncio.to_thread(bench.detail, request.path_params["guide"]))

    async def delete_guide(request: Request) -> Response:
        package = request.query_params.get("package") in ("1", "true", "yes")
        await asyncio.to_thread(bench.delete, request.path_params["guide"], package)
        return Response(status_code=204)

    async def edit_part(request: Request) -> Response:
        payload = _json(await request.body())
        title, left_out = payload.get("title", ""), payload.get("left_out", False)
        if not isinstance(title, str) or not isinstance(left_out, bool):
            raise InputError('send {"title": "the part\'s title", "left_out": false}')
        number = request.path_params["number"]
        await asyncio.to_thread(bench.edit_part, request.path_params["guide"], number, title, left_out)
        return JSONResponse(await asyncio.to_thread(bench.detail, request.path_params["guide"]))

    async def voices(request: Request) -> Response:
        from ..engines import catalogue
        from ..outputs.reports import voice_rows

        engine = catalogue(request.query_params.get("engine") or "")
        missing = engine.missing()
        if missing:
            raise InputError(missing)
        rows = voice_rows(engine.voices(), request.query_params.get("language") or None)
        return JSONResponse(rows)

    async def warm_engine(request: Request) -> Response:
        """Start the engine's kept worker now, so that the first "Hear it" finds its voice loaded."""
        from ..engines import catalogue

        engine = catalogue(request.path_params["engine"])
        missing = engine.missing()
        if missing:
            raise InputError(missing)
        bench.speakers.warm(engine.name)
        return JSONResponse({"engine": engine.name, "warm": bench.speakers.ready(engine.name)}, status_code=202)

    async def choices(request: Request) -> Response:
        from ..engines import catalogues
        from ..settings import AudioFormat, Preset

        engines = [
            {
                "name": engine.name,
                "label": f"{engine.label} ({engine.about})",
                "natural": engine.natural,
                "installed": not engine.missing(),
                "warm": bench.speakers.ready(engine.name),
            }
            for engine in catalogues()
        ]
        formats = [{"value": f.value, "label": f.info.label} for f in AudioFormat]
        return JSONResponse({"engines": engines, "formats": formats, "presets": [p.value for p in Preset]})

    async def chapters(request: Request) -> Response:
        from ..outputs.reports import chapter_rows

        guide, settings = await asyncio.to_thread(bench.load, request.path_params["guide"])
        return JSONResponse(chapter_rows(guide, settings))

    async def proof(request: Request) -> Response:
        from ..outputs.reports import proof_rows
        from ..speech.proof import proof_guide

        def run():
            guide, settings = bench.load(request.path_params["guide"])
            proofs = proof_guide(guide, settings.pauses, settings.lexicons, settings.language)
            return proof_rows(proofs, guide.left_out)

        return JSONResponse(await asyncio.to_thread(run))

    async def build(request: Request) -> Response:
        body = await request.body()
        asked = _json(body) if body else {}
        parse_request(asked)  # a clear line for a setting that is not one, before anything is queued
        job = await asyncio.to_thread(bench.build, request.path_params["guide"], asked)
        return JSONResponse({"job": job.id}, status_code=202)

    async def jobs(request: Request) -> Response:
        found = sorted(bench.jobs.values(), key=lambda job: job.started, reverse=True)
        return JSONResponse([job.as_json() for job in found])

    async def job(request: Request) -> Response:
        found = bench.jobs.get(request.path_params["job"])
        if found is None:
            raise UnknownJob(request.path_params["job"])
        return JSONResponse(found.as_json())

    async def stop_job(request: Request) -> Response:
        return JSONResponse((await asyncio.to_thread(bench.stop, request.path_params["job"])).as_json())

    def zipped(book: str | None):
        """The package's ZIP, or its DAISY book's (``book``): written again from what its last build listed."""

        async def send(request: Request) -> Response:
            from ..outputs.bundle import bundle

            def write() -> Path:
                found = bench.built(request.path_params["guide"], book)
                return bundle(found) if book is None else bundle(found.parent, found.name)

            zip_path = await asyncio.to_thread(write)
            return FileResponse(zip_path, media_type="application/zip", filename=zip_path.name)

        return send

    async def epub(request: Request) -> Response:
        path = await asyncio.to_thread(bench.built, request.path_params["guide"], "epub")
        return FileResponse(path, media_type="application/epub+zip", filename=path.name)

    async def words(request: Request) -> Response:
        return JSONResponse(await asyncio.to_thread(bench.words))

    async def add_word(request: Request) -> Response:
        payload = _json(await request.body())
        await asyncio.to_thread(bench.add_word, str(payload.get("word", "")), str(payload.get("sounds_like", "")))
        return JSONResponse({"word": payload["word"], "sounds_like": payload["sounds_like"]}, status_code=201)

    async def remove_word(request: Request) -> Response:
        await asyncio.to_thread(bench.remove_word, request.path_params["word"])
        return Response(status_code=204)

    async def say(request: Request) -> Response:
        from ..build.cache import CACHE_FOLDER
        from ..build.phrase import say_phrase

        payload = _json(await request.body())
        text = str(payload.get("text", ""))[:500]
        chosen = {key: payload[key] for key in ("engine", "voice", "language", "rate", "preset") if key in payload}
        asked = bench.request(parse_request(chosen))
        with tempfile.TemporaryDirectory(prefix="audioguide-say-") as folder:
            target = Path(folder) / "say.wav"
            cache = bench.output / CACHE_FOLDER
            await asyncio.to_thread(say_phrase, text, target, asked, cache, bench.speakers)
            return Response(target.read_bytes(), media_type="audio/wav")

    async def package_file(request: Request) -> Response:
        slug, name = request.path_params["slug"], request.path_params["name"]
        known = {guide["slug"] for guide in await asyncio.to_thread(bench.infos)}
        if slug not in known or not re.fullmatch(PACKAGE_FILE, name):
            return error("no such file", 404)
        folder = (bench.output / slug).resolve()
        path = (folder / name).resolve()
        # A link planted in a package folder never leads outside it.
        if path.parent != folder or not path.is_file():
            return error("no such file", 404)
        if name == "index.html":
            page = await asyncio.to_thread(path.read_text, encoding="utf-8")
            return HTMLResponse(page.replace("<header>", BACK_LINK, 1))
        return FileResponse(path, media_type=mimetypes.guess_type(path.name)[0] or "application/octet-stream")

    async def no_icon(request: Request) -> Response:
        return Response(status_code=204)

    routes = [
        Route("/", page),
        Route("/favicon.ico", no_icon),
        Route("/api/choices", choices),
        Route("/api/guides", add_guide, methods=["POST"]),
        Route("/api/guides", list_guides, methods=["GET"]),
        Route("/api/guides/{guide}", guide_detail, methods=["GET"]),
        Route("/api/guides/{guide}", delete_guide, methods=["DELETE"]),
        Route("/api/guides/{guide}/chapters", chapters),
        Route("/api/guides/{guide}/proof", proof),
        Route("/api/guides/{guide}/parts/{number:int}", edit_part, methods=["POST"]),
        Route("/api/guides/{guide}/build", build, methods=["POST"]),
        Route("/api/guides/{guide}/bundle.zip", zipped(None)),
        Route("/api/guides/{guide}/book.epub", epub),
        Route("/api/guides/{guide}/daisy.zip", zipped("daisy")),
        Route("/api/jobs", jobs),
        Route("/api/jobs/{job}", job),
        Route("/api/jobs/{job}/stop", stop_job, methods=["POST"]),
        Route("/api/lexicon", words, methods=["GET"]),
        Route("/api/lexicon", add_word, methods=["POST"]),
        Route("/api/lexicon/{word}", remove_word, methods=["DELETE"]),
        Route("/api/voices", voices),
        Route("/api/engines/{engine}/warm", warm_engine, methods=["POST"]),
        Route("/api/say", say, methods=["POST"]),
        Route("/packages/{slug}/{name}", package_file),
    ]

    @contextlib.asynccontextmanager
    async def lifespan(app):
        yield
        # Ctrl-C: the build under way stops with its workers; its package stays as it was.
        bench.close()
        stop_all_workers()

    app = Starlette(
        lifespan=lifespan,
        routes=routes,
        middleware=[Middleware(Guard, token=token)],
        exception_handlers={
            AudioguideError: lambda request, exc: error(bench.plain(str(exc)), _status(exc)),
            UnknownGuide: lambda request, exc: error("no such guide; add the document first", 404),
            UnknownJob: lambda request, exc: error("no such build; it may belong to a server that stopped since", 404),
            UnknownWord: lambda request, exc: error("the clinic lexicon has no such word", 404),
            NotInPackage: lambda request, exc: error(str(exc), 404),
            404: lambda request, exc: error("no such page", 404),
            405: lambda request, exc: error("that method is not allowed here", 405),
            500: lambda request, exc: error(f"something went wrong inside the workbench ({type(exc).__name__})", 500),
        },
    )
    app.state.workbench = bench
    return app


def _status(error: AudioguideError) -> int:
    """A build of the guide under way is a conflict; any other error the core raises, a bad request."""
    return 409 if isinstance(error, BuildRunning) else 400


async def _uploaded_file(request: Request, body: bytes, max_upload: int) -> tuple[bytes, str]:
    from starlette.datastructures import UploadFile

    async def replay():
        return {"type": "http.request", "body": body, "more_body": False}

    form_request = Request(request.scope, replay)
    async with form_request.form(max_files=1, max_fields=10, max_part_size=max_upload) as form:
        upload = form.get("file")
        if not isinstance(upload, UploadFile):
            raise InputError("upload the document as a file field named 'file'")
        return await upload.read(), upload.filename or "guide"


def _json(body: bytes) -> dict:
    try:
        payload = json.loads(body or b"{}")
    except ValueError:
        raise InputError("the request is not valid JSON") from None
    if not isinstance(payload, dict):
        raise InputError("send a JSON object")
    return payload
