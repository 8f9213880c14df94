"""Streamlit's hashed static files, copied out of the installed package with brotli (`.br`,
quality 11) and gzip (`.gz`, level 9) siblings, for the proxy to serve from disk
(`file_server { precompressed br gzip }` in deploy/proxy.py) instead of compressing them on the
fly at Go's default gzip level for every phone.

Streamlit's page preloads its Source Sans font (index.html, whatever `theme.font` says), 166 KiB
of woff2 that no compression shrinks, most of it Greek, Cyrillic and Vietnamese glyphs. The copy
keeps the Latin scripts (Latin-1, Latin Extended-A/B and Additional: French, Dutch, Turkish,
Polish, Romanian, ... names), punctuation, currency signs and arrows, all weights: 89 KiB. A
character outside them (a Greek or Cyrillic name) is drawn by the browser in a system font, as
for any glyph a font lacks. The subset is renamed "Vilco Sans Latin" inside the file (the SIL
Open Font License reserves the name "Source" for unmodified fonts); the page still calls it
Source Sans, and the file keeps Streamlit's name, so nothing else changes.

    python deploy/static.py DIR        # build DIR/static/... (skipped when DIR is up to date)

A deploy-time step: run it again after every upgrade of Streamlit (the file names carry a hash
of their content, so a stale directory is never wrong, only slower: what is not on disk goes to
a replica). `DIR/VERSION` records the Streamlit version and the file count it was built from.
"""

from __future__ import annotations

import gzip
import os
import shutil
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from pathlib import Path

import brotli

COMPRESSED_SUFFIXES = (".js", ".css", ".svg", ".json", ".html", ".txt", ".map")
MIN_BYTES = 1024  # smaller files gain nothing worth a second request path
STAMP = "VERSION"
SOURCE_SANS = ("SourceSansVF-Upright.ttf.", "SourceSansVF-Italic.ttf.")
LATIN = (
    "U+0000-024F,U+0259,U+02B0-02FF,U+0300-036F,U+1E00-1EFF,U+2000-206F,U+20A0-20CF,"
    "U+2100-214F,U+2190-21FF,U+2212,U+2215,U+25CF,U+FEFF,U+FFFD"
)
SUBSET_FAMILY = "Vilco Sans Latin"


def package_static_dir() -> Path:
    """`<streamlit>/static`: index.html beside the `static/` folder that `/static/...` serves."""
    import streamlit

    return Path(streamlit.__file__).resolve().parent / "static"


def _stamp(source: Path) -> str:
    import streamlit

    files = sum(1 for path in (source / "static").rglob("*") if path.is_file())
    return f"streamlit {streamlit.__version__}, {files} files, {SUBSET_FAMILY} ({LATIN})\n"


def _compress(path_text: str) -> int:
    """Write `path.br` and `path.gz` when they are smaller than the file; bytes saved by br."""
    path = Path(path_text)
    data = path.read_bytes()
    packed = brotli.compress(data, quality=11)
    if len(packed) < len(data):
        path.with_name(path.name + ".br").write_bytes(packed)
    zipped = gzip.compress(data, compresslevel=9, mtime=0)
    if len(zipped) < len(data):
        path.with_name(path.name + ".gz").write_bytes(zipped)
    return len(data) - len(packed)


def subset_latin(path: Path) -> None:
    """Replace the woff2 font at `path` by its Latin subset (every glyph, weight axis and
    OpenType feature of those scripts), renamed."""
    from fontTools import subset
    from fontTools.ttLib import TTFont

    options = subset.Options()
    options.layout_features = ["*"]
    options.flavor = "woff2"
    options.name_IDs = ["*"]
    options.notdef_outline = True
    font = TTFont(str(path))
    subsetter = subset.Subsetter(options)
    subsetter.populate(unicodes=subset.parse_unicodes(LATIN))
    subsetter.subset(font)
    style = "Italic" if "Italic" in path.name else "Upright"
    for record in font["name"].names:
        if record.nameID in (1, 16):
            record.string = SUBSET_FAMILY
        elif record.nameID in (3, 4):
            record.string = f"{SUBSET_FAMILY} {style}"
        elif record.nameID == 6:
            record.string = f"VilcoSansLatin-{style}"
    font.flavor = "woff2"
    font.save(str(path))


def build(target: Path | str, source: Path | None = None, workers: int = 2) -> bool:
    """Make `target/static/...` a copy of the package's static files with their compressed
    siblings; False when `target` already holds this Streamlit's build. The copy is built
    beside `target` and swapped in, so a proxy reading it never sees half a build."""
    source = source or package_static_dir()
    target = Path(target).resolve()
    stamp = _stamp(source)
    if (target / STAMP).exists() and (target / STAMP).read_text() == stamp:
        return False
    target.parent.mkdir(parents=True, exist_ok=True)
    work = Path(tempfile.mkdtemp(prefix=f".{target.name}-", dir=target.parent))
    try:
        shutil.copytree(source / "static", work / "static")
        work.chmod(0o755)
        paths = [
            str(path)
            for path in (work / "static").rglob("*")
            if path.suffix in COMPRESSED_SUFFIXES and path.stat().st_size >= MIN_BYTES
        ]
        fonts = [
            str(path)
            for path in (work / "static" / "media").glob("*.woff2")
            if path.name.startswith(SOURCE_SANS)
        ]
        with ProcessPoolExecutor(max_workers=max(1, workers)) as pool:
            list(pool.map(subset_latin, map(Path, fonts)))
            list(pool.map(_compress, paths, chunksize=8))
        (work / STAMP).write_text(stamp)
        old = target.with_name(f".{target.name}-old-{os.getpid()}")
        if target.exists():
            target.rename(old)
        try:
            work.rename(target)
        except OSError:  # another build (a parallel `up`) swapped its own in meanwhile
            if not ((target / STAMP).exists() and (target / STAMP).read_text() == stamp):
                raise
            shutil.rmtree(work, ignore_errors=True)
        shutil.rmtree(old, ignore_errors=True)
    except BaseException:
        shutil.rmtree(work, ignore_errors=True)
        raise
    return True


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if len(args) != 1:
        print(__doc__, file=sys.stderr)
        return 2
    built = build(args[0])
    print(
        f"{args[0]}: {'built' if built else 'up to date'} ({_stamp(package_static_dir()).strip()})"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
