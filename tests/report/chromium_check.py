#!/usr/bin/python3
"""Loads an HTML page in headless Chromium (Debian's `chromium`) over the DevTools protocol on a
pipe (--remote-debugging-pipe: no network port, no websocket library) and reports what a reader
would meet: console messages and errors, uncaught exceptions, JavaScript dialogs (alert, confirm,
prompt), the number of <script>, <img>, <iframe> and <object> elements and of elements with an
on* event-handler attribute, and a full-page PNG screenshot.

usage: chromium_check.py PAGE.html SCREENSHOT.png [--max-height PX]
Prints one JSON object; exit 0 when the page loaded with no console error, no exception and no
dialog, 1 otherwise, 2 when Chromium could not be started or did not answer.
"""
import base64
import json
import os
import select
import shutil
import subprocess
import sys
import tempfile
import time


class Browser:
    def __init__(self, profile):
        rd_cmd, wr_cmd = os.pipe()  # we write commands, Chromium reads them on fd 3
        rd_evt, wr_evt = os.pipe()  # Chromium writes replies and events on fd 4
        exe = shutil.which("chromium") or shutil.which("chromium-browser")
        if not exe:
            raise RuntimeError("chromium not found (Debian package chromium)")

        def child_fds():
            os.dup2(rd_cmd, 3)
            os.dup2(wr_evt, 4)

        self.proc = subprocess.Popen(
            [exe, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe", "--no-first-run",
             "--no-default-browser-check", "--disable-extensions", "--disable-background-networking",
             f"--user-data-dir={profile}", "about:blank"],
            preexec_fn=child_fds, pass_fds=(3, 4), stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.close(rd_cmd)
        os.close(wr_evt)
        self.w, self.r = wr_cmd, rd_evt
        self.buf = b""
        self.next_id = 0
        self.events = []

    def _read_message(self, deadline):
        while b"\0" not in self.buf:
            left = deadline - time.time()
            if left <= 0:
                return None
            ready, _, _ = select.select([self.r], [], [], left)
            if not ready:
                return None
            chunk = os.read(self.r, 1 << 20)
            if not chunk:
                raise RuntimeError("chromium closed the DevTools pipe")
            self.buf += chunk
        msg, self.buf = self.buf.split(b"\0", 1)
        return json.loads(msg)

    def call(self, method, params=None, session=None, timeout=30):
        self.next_id += 1
        msg = {"id": self.next_id, "method": method, "params": params or {}}
        if session:
            msg["sessionId"] = session
        os.write(self.w, json.dumps(msg).encode() + b"\0")
        deadline = time.time() + timeout
        while True:
            m = self._read_message(deadline)
            if m is None:
                raise RuntimeError(f"no answer to {method} within {timeout}s")
            if m.get("id") == self.next_id:
                if "error" in m:
                    raise RuntimeError(f"{method}: {m['error']}")
                return m.get("result", {})
            self.events.append(m)

    def pump(self, seconds):
        deadline = time.time() + seconds
        while True:
            m = self._read_message(deadline)
            if m is None:
                return
            self.events.append(m)

    def close(self):
        try:
            self.call("Browser.close", timeout=5)
        except Exception:
            pass
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.proc.kill()


def main(argv):
    if len(argv) < 3:
        print(__doc__, file=sys.stderr)
        return 2
    page, shot = os.path.abspath(argv[1]), argv[2]
    max_height = int(argv[argv.index("--max-height") + 1]) if "--max-height" in argv else 6000
    profile = tempfile.mkdtemp(prefix="chromium-check-")
    result = {"page": page, "console": [], "exceptions": [], "dialogs": [], "loaded": False}
    try:
        b = Browser(profile)
        try:
            target = b.call("Target.createTarget", {"url": "about:blank"})["targetId"]
            s = b.call("Target.attachToTarget", {"targetId": target, "flatten": True})["sessionId"]
            for m in ("Page.enable", "Runtime.enable", "Log.enable"):
                b.call(m, session=s)
            b.call("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": 900, "deviceScaleFactor": 1, "mobile": False}, session=s)
            b.call("Page.navigate", {"url": "file://" + page}, session=s)
            deadline = time.time() + 30
            while time.time() < deadline and not any(e.get("method") == "Page.loadEventFired" for e in b.events):
                b.pump(0.2)
                for e in b.events:
                    if e.get("method") == "Page.javascriptDialogOpening" and not e.get("_handled"):
                        e["_handled"] = True
                        b.call("Page.handleJavaScriptDialog", {"accept": True}, session=s)
            result["loaded"] = any(e.get("method") == "Page.loadEventFired" for e in b.events)
            b.pump(1.0)  # late errors and dialogs
            count = b.call("Runtime.evaluate", {"expression":
                "JSON.stringify({script: document.querySelectorAll('script').length,"
                " img: document.querySelectorAll('img').length,"
                " iframe: document.querySelectorAll('iframe,object,embed').length,"
                " handlers: [...document.querySelectorAll('*')].filter(e => [...e.attributes].some(a => a.name.startsWith('on'))).length,"
                " svg: document.querySelectorAll('svg').length, tables: document.querySelectorAll('table').length,"
                " title: document.title, height: document.documentElement.scrollHeight})", "returnByValue": True}, session=s)
            result["dom"] = json.loads(count["result"]["value"])
            height = min(max(900, result["dom"]["height"]), max_height)
            b.call("Emulation.setDeviceMetricsOverride", {"width": 1280, "height": height, "deviceScaleFactor": 1, "mobile": False}, session=s)
            png = b.call("Page.captureScreenshot", {"format": "png"}, session=s)["data"]
            with open(shot, "wb") as f:
                f.write(base64.b64decode(png))
            result["screenshot"] = shot
        finally:
            b.close()
    except RuntimeError as e:
        result["error"] = str(e)
        print(json.dumps(result, indent=1))
        return 2
    finally:
        shutil.rmtree(profile, ignore_errors=True)
    for e in b.events:
        m, p = e.get("method"), e.get("params", {})
        if m == "Runtime.consoleAPICalled":
            result["console"].append({"type": p.get("type"), "text": " ".join(str(a.get("value", a.get("description", ""))) for a in p.get("args", []))})
        elif m == "Log.entryAdded":
            entry = p.get("entry", {})
            result["console"].append({"type": entry.get("level"), "text": entry.get("text", "")})
        elif m == "Runtime.exceptionThrown":
            result["exceptions"].append(p.get("exceptionDetails", {}).get("text", ""))
        elif m == "Page.javascriptDialogOpening":
            result["dialogs"].append({"type": p.get("type"), "message": p.get("message")})
    errors = [c for c in result["console"] if c["type"] in ("error", "assert")]
    result["ok"] = result["loaded"] and not errors and not result["exceptions"] and not result["dialogs"]
    print(json.dumps(result, indent=1))
    return 0 if result["ok"] else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv))
