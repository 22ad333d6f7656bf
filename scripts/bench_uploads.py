#!/usr/bin/env python3
"""Upload benchmark: N concurrent authors each submit M papers of about 300 KB.

usage: bench_uploads.py BASE_URL DATA_DIR SERVER_PID PDF [--clients 32] [--per-client 4]

Start the server first, e.g.
  rm -rf /tmp/cfp-bench && CFP__DATA_DIR=/tmp/cfp-bench CFP__SERVER__BIND=127.0.0.1:8199 \
  CFP__SERVER__BASE_URL=http://127.0.0.1:8199 CFP__MAIL__WORKER_INTERVAL_SECS=1 \
  CFP__SECURITY__VISITOR_EMAILS_PER_CLIENT_PER_HOUR=1000 target/release/cfp serve &
(every benchmark author registers from 127.0.0.1: more than 20 clients need the higher limit)
--count-statements DB then submits one more paper and prints the SQL statements it took (the
form page and the post), read from PostgreSQL's log (--pg-log); the database needs
`ALTER DATABASE DB SET log_statement = 'all'` before the server starts (bench_pages.py has the
same option). Only the Python standard library is used. Prints uploads per second, latency percentiles and
the server's peak resident memory (VmHWM from /proc/PID/status).
"""
import argparse, glob, http.cookiejar, os, re, statistics, threading, time, urllib.error, urllib.parse, urllib.request, uuid

p = argparse.ArgumentParser()
p.add_argument("base"); p.add_argument("data_dir"); p.add_argument("pid"); p.add_argument("pdf")
p.add_argument("--clients", type=int, default=32); p.add_argument("--per-client", type=int, default=4)
p.add_argument("--count-statements", metavar="DB"); p.add_argument("--pg-log", default="/var/log/postgresql/postgresql-15-main.log")
a = p.parse_args()

def pad_to_300kb(raw):
    # Comment lines just before the final `startxref` keep every offset valid.
    at = raw.rfind(b"startxref")
    filler = b"%" + b"x" * 1000 + b"\n"
    pad = filler * max(0, (300 * 1024 - len(raw)) // len(filler) + 1)
    return raw[:at] + pad + raw[at:]

PDF = pad_to_300kb(open(a.pdf, "rb").read())

class Client:
    def __init__(self):
        self.jar = http.cookiejar.CookieJar()
        self.opener = urllib.request.build_opener(urllib.request.HTTPCookieProcessor(self.jar), NoRedirect())

    def get(self, path):
        try:
            with self.opener.open(a.base + path) as r:
                return r.read().decode()
        except urllib.error.HTTPError as e:
            return e.read().decode()

    def csrf(self, path):
        return re.search(r'name="csrf" value="([^"]+)"', self.get(path)).group(1)

    def post(self, path, fields):
        data = urllib.parse.urlencode(fields).encode()
        try:
            with self.opener.open(urllib.request.Request(a.base + path, data=data)) as r:
                return r.status
        except urllib.error.HTTPError as e:
            return e.code

    def post_multipart(self, path, fields, files):
        boundary = uuid.uuid4().hex
        body = bytearray()
        for k, v in fields:
            body += f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
        for k, name, content in files:
            body += f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"; filename="{name}"\r\nContent-Type: application/pdf\r\n\r\n'.encode()
            body += content + b"\r\n"
        body += f"--{boundary}--\r\n".encode()
        req = urllib.request.Request(a.base + path, data=bytes(body), headers={"Content-Type": f"multipart/form-data; boundary={boundary}"})
        try:
            with self.opener.open(req) as r:
                return r.status
        except urllib.error.HTTPError as e:
            if e.code != 303 and not errors:
                errors.append(e.read().decode(errors="replace"))
            return e.code

errors = []

class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args, **kwargs):
        return None

def sign_up(i):
    c = Client()
    email = f"bench{i}@example.org"
    c.post("/register", {"csrf": c.csrf("/register"), "name": f"Bench Author {i}", "email": email,
                         "affiliation": "Bench University", "password": "bench password 123", "password_confirm": "bench password 123"})
    return c, email

clients = [sign_up(i) for i in range(a.clients)]
links = {}
deadline = time.time() + 60
while len(links) < a.clients and time.time() < deadline:
    time.sleep(1)
    for f in glob.glob(os.path.join(a.data_dir, "outbox", "*.eml")):
        text = open(f, encoding="utf-8", errors="replace").read()
        to = re.search(r"^To: (\S+)", text, re.M)
        link = re.search(r"(/confirm\?token=[A-Za-z0-9_-]+)", text)
        if to and link:
            links[to.group(1).strip()] = link.group(1)
for c, email in clients:
    c.get(links[email])
    c.post("/signin", {"csrf": c.csrf("/signin"), "email": email, "password": "bench password 123"})

latencies, statuses = [], []
lock = threading.Lock()

def author(i, per_client=None):
    c, email = clients[i]
    for j in range(a.per_client if per_client is None else per_client):
        fields = [("csrf", c.csrf("/submissions")), ("creation_key", uuid.uuid4().hex), ("track", "paper"),
                  ("title", f"Benchmark paper {i}-{j}"), ("abstract", "A benchmark abstract about neural ODEs."),
                  ("author_0_name", f"Bench Author {i}"), ("author_0_email", email), ("author_0_affiliation", "Bench University"), ("main", "0")]
        t = time.perf_counter()
        status = c.post_multipart("/submissions/new", fields, [("paper", "paper.pdf", PDF)])
        with lock:
            latencies.append(time.perf_counter() - t); statuses.append(status)

def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")

cpu_before = cpu_seconds(a.pid)
start = time.perf_counter()
threads = [threading.Thread(target=author, args=(i,)) for i in range(a.clients)]
for t in threads: t.start()
for t in threads: t.join()
wall = time.perf_counter() - start
cpu = cpu_seconds(a.pid) - cpu_before
hwm = re.search(r"VmHWM:\s+(\d+) kB", open(f"/proc/{a.pid}/status").read()).group(1)
ok = sum(1 for s in statuses if s == 303)
lat = sorted(latencies)
print(f"uploads: {ok}/{len(statuses)} accepted (303) with {a.clients} clients, file {len(PDF)//1024} KB")
print(f"throughput: {len(statuses)/wall:.1f} uploads/s over {wall:.1f} s")
print(f"latency: median {statistics.median(lat)*1000:.0f} ms, p95 {lat[int(len(lat)*0.95)-1]*1000:.0f} ms, "
      f"p99 {lat[max(0, int(len(lat)*0.99)-1)]*1000:.0f} ms, max {lat[-1]*1000:.0f} ms")
print(f"server CPU: {cpu / max(len(statuses), 1) * 1000:.1f} ms per upload (user + system)")
if ok < len(statuses):
    print("statuses:", {s: statuses.count(s) for s in set(statuses)})
    print("first refusal:", re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", errors[0] if errors else ""))[:400])
print(f"server peak RSS (VmHWM): {int(hwm)/1024:.0f} MiB")

if a.count_statements:
    with open(a.pg_log, "rb") as f:
        f.seek(0, 2)
        start = f.tell()
    author(0, per_client=1)
    time.sleep(0.3)
    with open(a.pg_log, "rb") as f:
        f.seek(start)
        lines = f.read().decode(errors="replace").splitlines()
    marker = f"@{a.count_statements} LOG:  "
    sql = [l.split(marker, 1)[1] for l in lines if marker in l]
    sql = [re.sub(r"^(statement|execute [^:]*): ", "", l) for l in sql if l.startswith(("statement:", "execute"))]
    # The mail worker (every CFP__MAIL__WORKER_INTERVAL_SECS) may add its own polls: listed.
    own = sql
    print(f"SQL statements of one upload (form page + post): {len(own)}")
    for q in own:
        print("   ", q[:140])
