"""Headless Chromium opens the HTML briefing from a file URL with the network off.

The browser is driven over the DevTools protocol on a pipe (``--remote-debugging-pipe``:
commands on fd 3, replies on fd 4), so the test sees every request the page makes, every
console message and uncaught error, and takes the screenshot itself. Skipped, saying so,
only where no Chromium is installed (CI installs Debian's ``chromium``).
"""

import base64
import contextlib
import fcntl
import json
import os
import select
import shutil
import struct
import subprocess
import sys
import time
import zlib

import pytest

import evidence

CANDIDATES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")
BROWSER = next((path for name in CANDIDATES if (path := shutil.which(name))), None)
MISSING = (
    "SKIPPED: the browser test needs Chromium and found no binary (looked for "
    f"{', '.join(CANDIDATES)} on PATH); install Debian's chromium package to run it"
)


def _high(fd):
    high = fcntl.fcntl(fd, fcntl.F_DUPFD, 10)
    os.close(fd)
    return high


class DevTools:
    """A minimal DevTools-protocol client over Chromium's debugging pipe."""

    def __init__(self, profile, timeout=30):
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()
        # the child's ends move above 9, clear of the fds 3 and 4 they are redirected to
        to_browser_r, from_browser_w = (_high(fd) for fd in (to_browser_r, from_browser_w))
        flags = [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--disable-extensions",
            "--remote-debugging-pipe",
            f"--user-data-dir={profile}",
            # the network is off: nothing resolves and every proxied request goes nowhere
            "--host-resolver-rules=MAP * ~NOTFOUND",
            "--proxy-server=127.0.0.1:9",
            "about:blank",
        ]
        shim = "import os, sys; os.dup2(int(sys.argv[1]), 3); os.dup2(int(sys.argv[2]), 4); "
        shim += "os.execv(sys.argv[3], sys.argv[3:])"
        self.process = subprocess.Popen(
            [sys.executable, "-c", shim, str(to_browser_r), str(from_browser_w), BROWSER, *flags],
            pass_fds=(to_browser_r, from_browser_w),
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self.timeout, self.events, self._buffer, self._next = timeout, [], b"", 0

    def _read(self, deadline):
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._from_browser], [], [], max(left, 0))
            if not ready:
                raise TimeoutError("Chromium did not answer")
            chunk = os.read(self._from_browser, 1 << 20)
            if not chunk:
                raise ConnectionError("Chromium closed the pipe")
            self._buffer += chunk
        message, self._buffer = self._buffer.split(b"\0", 1)
        return json.loads(message)

    def send(self, method, session=None, **params):
        self._next += 1
        message = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + self.timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._next:
                assert "error" not in reply, reply
                return reply["result"]
            self.events.append(reply)

    def wait_for(self, method, deadline):
        while True:
            found = [e for e in self.events if e.get("method") == method]
            if found:
                return found[0]
            self.events.append(self._read(deadline))

    def close(self):
        with contextlib.suppress(ConnectionError, TimeoutError, OSError):
            self.send("Browser.close")
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)


def png_pixels(data):
    """Decode an 8-bit RGB or RGBA PNG: (width, height, rows of bytes)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n"
    pos, chunks = 8, {}
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos : pos + 4])
        kind = data[pos + 4 : pos + 8]
        chunks.setdefault(kind, []).append(data[pos + 8 : pos + 8 + length])
        pos += 12 + length
    width, height, depth, colour = struct.unpack(">IIBB", chunks[b"IHDR"][0][:10])
    assert depth == 8 and colour in (2, 6), (depth, colour)
    step = 3 if colour == 2 else 4
    raw = zlib.decompress(b"".join(chunks[b"IDAT"]))
    stride = width * step
    rows, previous = [], bytearray(stride)
    for y in range(height):
        kind, line = (
            raw[y * (stride + 1)],
            bytearray(raw[y * (stride + 1) + 1 : (y + 1) * (stride + 1)]),
        )
        for x in range(stride):
            a = line[x - step] if x >= step else 0
            b, c = previous[x], previous[x - step] if x >= step else 0
            if kind == 1:
                line[x] = (line[x] + a) & 255
            elif kind == 2:
                line[x] = (line[x] + b) & 255
            elif kind == 3:
                line[x] = (line[x] + (a + b) // 2) & 255
            elif kind == 4:
                p = a + b - c
                pa, pb, pc = abs(p - a), abs(p - b), abs(p - c)
                line[x] = (line[x] + (a if pa <= pb and pa <= pc else b if pb <= pc else c)) & 255
        rows.append(bytes(line))
        previous = line
    return width, height, step, rows


def test_briefing_renders_offline_without_errors_or_requests(tmp_path, capsys):
    if BROWSER is None:
        with capsys.disabled():  # loud: in the log whatever pytest's -r options
            print(f"\ntests/test_browser.py: {MISSING}")
        pytest.skip(MISSING)
    page = tmp_path / "briefing.html"
    evidence.load_example().report(page, date="2024-05-01")
    url = page.as_uri()
    browser = DevTools(tmp_path / "profile")
    try:
        target = browser.send("Target.createTarget", url="about:blank")["targetId"]
        session = browser.send("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        for domain in ("Page", "Runtime", "Log", "Network"):
            browser.send(f"{domain}.enable", session)
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            session,
            width=1000,
            height=1400,
            deviceScaleFactor=1,
            mobile=False,
        )
        browser.send("Page.navigate", session, url=url)
        browser.wait_for("Page.loadEventFired", time.monotonic() + 30)
        title = browser.send("Runtime.evaluate", session, expression="document.title")
        shot = browser.send("Page.captureScreenshot", session, format="png")
        pdf = browser.send("Page.printToPDF", session, preferCSSPageSize=True)
    finally:
        browser.close()
    assert title["result"]["value"] == "Evidence briefing"
    requests = [
        e["params"]["request"]["url"]
        for e in browser.events
        if e.get("method") == "Network.requestWillBeSent"
    ]
    assert requests == [url]  # the page itself, and nothing else
    errors = [
        e
        for e in browser.events
        if e.get("method") == "Runtime.exceptionThrown"
        or (e.get("method") == "Runtime.consoleAPICalled" and e["params"]["type"] == "error")
        or (e.get("method") == "Log.entryAdded" and e["params"]["entry"]["level"] == "error")
    ]
    assert errors == []
    png = base64.b64decode(shot["data"])
    (tmp_path / "briefing.png").write_bytes(png)
    width, height, step, rows = png_pixels(png)
    assert (width, height) == (1000, 1400)
    pixels = {row[x : x + 3] for row in rows[::20] for x in range(0, width * step, step * 10)}
    assert len(pixels) > 20  # text, rules and coloured badges, not a blank page
    dark = sum(1 for row in rows[::10] for x in range(0, width * step, step * 5) if row[x] < 96)
    assert dark > 200  # there is text
    assert base64.b64decode(pdf["data"]).startswith(b"%PDF")
