#!/usr/bin/env python3
"""Page benchmark: server CPU time and wall time per request of every chair page, the
reviewer's and the author's pages, on a running cfp (e.g. one filled by `cfp demo --size N`).

usage: bench_pages.py BASE_URL SERVER_PID --chair EMAIL --reviewer EMAIL --author EMAIL
                      [--password PW] [--n 20] [--n-small 300] [--clients 8] [--json OUT]

CPU per request is the server process's user + system time (from /proc/PID/stat, before and
after N sequential requests on one keep-alive connection) divided by N: it does not depend on
what else runs on the machine, unlike wall time (its median is printed beside it). The
reviewer's paper page is also measured at --clients concurrent clients (requests/s). Only the
Python standard library is used. Prints a Markdown table and the load average.

--concurrent LABELS runs the concurrent measure on each listed page (comma-separated labels of
the table, "home" for the public home page; default: the reviewer's paper page).
--count-statements DB prints the SQL statements per request of the reviewer's, author's and
home pages and of a sign-in, read from PostgreSQL's log (--pg-log) while each is requested once;
it needs statement logging on that database first:
  psql -h 127.0.0.1 -U postgres -c "ALTER DATABASE DB SET log_statement = 'all'"
(and the server restarted, as the setting applies to new connections; reset it afterwards).

Example (a conference of 10,000 papers):
  rm -rf /tmp/cfp-10k && CFP__DATA_DIR=/tmp/cfp-10k target/release/cfp demo --size 10000 --stage decided
  CFP__DATA_DIR=/tmp/cfp-10k CFP__SERVER__BIND=127.0.0.1:8199 CFP__MAIL__WORKER_INTERVAL_SECS=0 \
    target/release/cfp serve &
  python3 scripts/bench_pages.py http://127.0.0.1:8199 $! --chair CHAIR --reviewer R --author A
(`cfp demo` prints the chair's, an author's and a reviewer's addresses.)
"""
import argparse, http.client, json, os, re, statistics, threading, time, urllib.parse

p = argparse.ArgumentParser()
p.add_argument("base"); p.add_argument("pid", type=int)
p.add_argument("--chair", required=True); p.add_argument("--reviewer", required=True)
p.add_argument("--author", required=True); p.add_argument("--password", default="dlde-demo-2027")
p.add_argument("--n", type=int, default=20, help="requests per chair page")
p.add_argument("--n-small", type=int, default=300, help="requests per reviewer/author page")
p.add_argument("--clients", type=int, default=8)
p.add_argument("--seconds", type=float, default=5.0, help="length of the concurrent run")
p.add_argument("--json", help="also write the figures here")
p.add_argument("--only", help="comma-separated page labels to measure")
p.add_argument("--concurrent", default="reviewer: paper page",
               help="comma-separated page labels to measure at --clients clients")
p.add_argument("--count-statements", metavar="DB",
               help="count SQL statements per request in PostgreSQL's log for database DB")
p.add_argument("--pg-log", default="/var/log/postgresql/postgresql-15-main.log")
p.add_argument("--pg-db", metavar="DB",
               help="also report the CPU of PostgreSQL's server processes serving database DB "
                    "(from /proc, as for cfp) in the concurrent measure")
p.add_argument("--after-write",
               help="shell command run before each request of the pool pages' cold measure (e.g. one "
                    "that bumps the pool's data version with sqlite3 or psql): the CPU of the first view "
                    "after a write")
p.add_argument("--assign", action="store_true",
               help="also time the chair's 'Compute a preview' (the engine on the whole conference)")
p.add_argument("--first-poll", type=float, default=2.0,
               help="seconds before the first view of the page after 'Compute a preview': a view "
                    "while the engine runs shares its CPU time, so wait past its end")
a = p.parse_args()
URL = urllib.parse.urlparse(a.base)
TICK = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid):
    with open(f"/proc/{pid}/stat") as f:
        fields = f.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / TICK


class Client:
    """One keep-alive connection with a cookie."""

    def __init__(self):
        self.conn = http.client.HTTPConnection(URL.hostname, URL.port, timeout=120)
        self.cookie = None

    def request(self, method, path, body=None, headers=None):
        h = dict(headers or {})
        if self.cookie:
            h["Cookie"] = self.cookie
        for attempt in range(2):
            try:
                self.conn.request(method, path, body=body, headers=h)
                r = self.conn.getresponse()
                data = r.read()
                break
            except (http.client.RemoteDisconnected, ConnectionResetError, BrokenPipeError):
                self.conn.close()
                self.conn = http.client.HTTPConnection(URL.hostname, URL.port, timeout=120)
                if attempt:
                    raise
        c = r.getheader("Set-Cookie")
        if c:
            self.cookie = c.split(";")[0]
        return r.status, data

    def get(self, path):
        return self.request("GET", path)

    def sign_in(self, email):
        _, page = self.get("/signin")
        csrf = re.search(rb'name="csrf" value="([^"]+)"', page).group(1).decode()
        body = urllib.parse.urlencode({"csrf": csrf, "email": email, "password": a.password})
        status, _ = self.request("POST", "/signin", body,
                                 {"Content-Type": "application/x-www-form-urlencoded"})
        if status != 303:
            raise SystemExit(f"signing in {email} failed with {status}")
        return self


def measure(client, label, path, n):
    status, body = client.get(path)  # warm up (and a first look at the page)
    walls = []
    before = cpu_seconds(a.pid)
    for _ in range(n):
        t = time.perf_counter()
        status, body = client.get(path)
        walls.append(time.perf_counter() - t)
    cpu = (cpu_seconds(a.pid) - before) / n
    row = {"page": label, "path": path, "status": status, "kb": round(len(body) / 1024, 1),
           "cpu_ms": round(cpu * 1000, 2), "wall_median_ms": round(statistics.median(walls) * 1000, 2),
           "n": n}
    print(f"| {label} | `{path}` | {status} | {row['kb']} | {row['cpu_ms']} | {row['wall_median_ms']} |",
          flush=True)
    return row


def database_cpu_seconds():
    """CPU time of the PostgreSQL server processes connected to --pg-db (0 without it)."""
    if not a.pg_db:
        return 0.0
    import subprocess
    pids = subprocess.run(["psql", "-h", "127.0.0.1", "-U", "postgres", "-Atc",
                           f"SELECT pid FROM pg_stat_activity WHERE datname = '{a.pg_db}'"],
                          capture_output=True, text=True).stdout.split()
    total = 0.0
    for pid in pids:
        try:
            total += cpu_seconds(int(pid))
        except (FileNotFoundError, ProcessLookupError):
            pass
    return total


def measure_mail_preview(client, n):
    """The chairs' group mail preview (a POST listing the group: all authors)."""
    _, page = client.get("/chair/mail")
    csrf = re.search(rb'name="csrf" value="([^"]+)"', page).group(1).decode()
    body = urllib.parse.urlencode({"csrf": csrf, "group": "all_authors", "action": "preview",
                                   "subject": "A note", "body": "Dear {{ name }}, a note."})
    headers = {"Content-Type": "application/x-www-form-urlencoded"}
    client.request("POST", "/chair/mail", body, headers)
    walls = []
    before = cpu_seconds(a.pid)
    for _ in range(n):
        t = time.perf_counter()
        status, data = client.request("POST", "/chair/mail", body, headers)
        walls.append(time.perf_counter() - t)
    cpu = (cpu_seconds(a.pid) - before) / n
    row = {"page": "chair: mail preview", "path": "POST /chair/mail", "status": status,
           "kb": round(len(data) / 1024, 1), "cpu_ms": round(cpu * 1000, 2),
           "wall_median_ms": round(statistics.median(walls) * 1000, 2), "n": n}
    print(f"| chair: mail preview | `POST /chair/mail` | {status} | {row['kb']} | {row['cpu_ms']} | "
          f"{row['wall_median_ms']} |", flush=True)
    return row


def concurrent(cookie_clients, path, seconds):
    """Requests/s of `path` with one thread per client for `seconds`."""
    counts = [0] * len(cookie_clients)
    lat = [[] for _ in cookie_clients]
    stop = time.perf_counter() + seconds

    def run(i):
        c = cookie_clients[i]
        while time.perf_counter() < stop:
            t = time.perf_counter()
            c.get(path)
            lat[i].append(time.perf_counter() - t)
            counts[i] += 1

    before = cpu_seconds(a.pid)
    db_before = database_cpu_seconds()
    t0 = time.perf_counter()
    threads = [threading.Thread(target=run, args=(i,)) for i in range(len(cookie_clients))]
    for t in threads: t.start()
    for t in threads: t.join()
    elapsed = time.perf_counter() - t0
    total = sum(counts)
    all_lat = sorted(x for l in lat for x in l)
    db_cpu = database_cpu_seconds() - db_before
    return {"clients": len(cookie_clients), "requests": total, "per_s": round(total / elapsed, 1),
            "cpu_ms": round((cpu_seconds(a.pid) - before) / max(total, 1) * 1000, 3),
            "db_cpu_ms": round(db_cpu / max(total, 1) * 1000, 3),
            "p50_ms": round(all_lat[len(all_lat) // 2] * 1000, 2),
            "p99_ms": round(all_lat[int(len(all_lat) * 0.99)] * 1000, 2)}


chair = Client().sign_in(a.chair)
reviewer = Client().sign_in(a.reviewer)
author = Client().sign_in(a.author)
_, listing = reviewer.get("/reviews")
numbers = re.findall(rb'href="/reviews/(\d+)"', listing)
if not numbers and not (a.assign and a.only == "none" and a.clients == 0):
    raise SystemExit(f"{a.reviewer} has no assigned paper")
# With nothing assigned (a conference before its first assignment), only --assign can run.
review_path = f"/reviews/{numbers[0].decode()}" if numbers else "/reviews"
_, mine = author.get("/submissions")
own = re.findall(rb'href="/submissions/(\d+)"', mine)
own_path = f"/submissions/{own[0].decode()}" if own else "/submissions"

pages = [
    ("chair: dashboard", "/chair", a.n),
    ("chair: submissions", "/chair/submissions", a.n),
    ("chair: reviewers", "/chair/reviewers", a.n),
    ("chair: conflicts", "/chair/conflicts", a.n),
    ("chair: assignment", "/chair/assignment", a.n),
    ("chair: review progress", "/chair/reviews", a.n),
    ("chair: decisions", "/chair/decisions", a.n),
    ("chair: mail recipients", "/chair/mail", a.n),
    ("chair: submissions CSV", "/chair/submissions.csv", max(3, a.n // 4)),
    ("chair: reviews CSV", "/chair/reviews.csv", max(3, a.n // 4)),
    ("chair: committed assignments", "/chair/assignment/committed", a.n),
    ("chair: assignment CSV", "/chair/assignment.csv", max(3, a.n // 4)),
    ("chair: proposed reviewers page 2", "/chair/assignment/proposed?page=2", a.n),
    ("reviewer: my reviews", "/reviews", a.n_small),
    ("reviewer: paper page", review_path, a.n_small),
    ("author: my submissions", "/submissions", a.n_small),
    ("author: paper page", own_path, a.n_small),
    # The chairs' other lists and exports (issue 17's "lists" part).
    ("chair: submissions sorted and filtered", "/chair/submissions?sort=title&format=problems&page=2", a.n),
    ("chair: submissions by keyword", "/chair/submissions?keyword=learning&sort=pages", a.n),
    ("chair: review progress later pages", "/chair/reviews?page=50&rpage=50", a.n),
    ("chair: decisions by mean posters", "/chair/decisions?sort=mean&decision=poster&page=3", a.n),
    ("chair: decisions CSV", "/chair/decisions.csv", max(3, a.n // 4)),
    ("chair: decisions JSON", "/chair/decisions.json", max(3, a.n // 4)),
    ("chair: discussion CSV", "/chair/discussion.csv", max(3, a.n // 4)),
    ("chair: discussion JSON", "/chair/discussion.json", max(3, a.n // 4)),
    ("chair: program CSV", "/chair/program.csv", max(3, a.n // 4)),
]
only = set(a.only.split(",")) if a.only else None
with open("/proc/loadavg") as f:
    load_before = f.read().split()[:3]
print(f"# {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load average {' '.join(load_before)}")
print("| page | path | status | KiB | server CPU ms/request | wall median ms |")
print("|---|---|---|---|---|---|")
rows = []
for label, path, n in pages:
    if only and label not in only:
        continue
    who = chair if label.startswith("chair") else reviewer if label.startswith("reviewer") else author
    rows.append(measure(who, label, path, n))
if not only or "chair: mail preview" in only:
    rows.append(measure_mail_preview(chair, a.n))
if a.after_write:
    import subprocess
    print("\nFirst view after a write (`--after-write`):")
    print("| page | path | server CPU ms/request |")
    print("|---|---|---|")
    for label, path in [("chair: reviewers", "/chair/reviewers"), ("chair: conflicts", "/chair/conflicts"),
                        ("chair: assignment", "/chair/assignment")]:
        if only and label not in only:
            continue
        chair.get(path)
        spent = []
        for _ in range(a.n):
            subprocess.run(a.after_write, shell=True, check=True)
            before = cpu_seconds(a.pid)
            chair.get(path)
            spent.append(cpu_seconds(a.pid) - before)
        cold = round(statistics.median(spent) * 1000, 1)
        rows.append({"page": label + " (after a write)", "path": path, "cpu_ms": cold, "n": a.n})
        print(f"| {label} | `{path}` | {cold} |", flush=True)
conc = []
paths = {label: path for label, path, _ in pages}
paths["home"] = "/"
if a.clients > 0 and (not only or "concurrent" in only):
    for label in a.concurrent.split(","):
        who = a.chair if label.startswith("chair") else a.author if label.startswith("author") else a.reviewer
        clients = [Client().sign_in(who) for _ in range(a.clients)]
        row = concurrent(clients, paths[label], a.seconds)
        row["page"] = label
        conc.append(row)
        print(f"\n{label} at {row['clients']} clients: {row['per_s']} req/s, "
              f"p50 {row['p50_ms']} ms, p99 {row['p99_ms']} ms, server CPU {row['cpu_ms']} ms/request"
              + (f", PostgreSQL CPU {row['db_cpu_ms']} ms/request" if a.pg_db else ""))


def statements_during(db, action):
    """SQL statements PostgreSQL logged for database `db` while `action` ran, by kind."""
    with open(a.pg_log, "rb") as f:
        f.seek(0, 2)
        start = f.tell()
    action()
    time.sleep(0.3)
    with open(a.pg_log, "rb") as f:
        f.seek(start)
        lines = f.read().decode(errors="replace").splitlines()
    marker = f"@{db} LOG:  "
    found = [l.split(marker, 1)[1] for l in lines if marker in l]
    sql = [re.sub(r"^(statement|execute [^:]*): ", "", l) for l in found
           if l.startswith(("statement:", "execute"))]
    return sql


statements = []
if a.count_statements:
    anon = Client()
    anon.get("/")
    def sign_in_once():
        c = Client()
        _, page = c.get("/signin")
        csrf = re.search(rb'name="csrf" value="([^"]+)"', page).group(1).decode()
        c.request("POST", "/signin", urllib.parse.urlencode({"csrf": csrf, "email": a.author, "password": a.password}),
                  {"Content-Type": "application/x-www-form-urlencoded"})
    checks = [("home (anonymous)", lambda: anon.get("/")), ("home (signed in)", lambda: author.get("/")),
              ("sign-in (form and POST)", sign_in_once)]
    for label in ("reviewer: my reviews", "reviewer: paper page", "author: my submissions", "author: paper page"):
        who = reviewer if label.startswith("reviewer") else author
        checks.append((label, lambda who=who, path=paths[label]: who.get(path)))
    print("\n| request | SQL statements (BEGIN/COMMIT/SAVEPOINT included) | of which BEGIN/COMMIT |\n|---|---|---|")
    for label, action in checks:
        action()  # warm: prepared statements cached, settings loaded
        sql = statements_during(a.count_statements, action)
        tx = sum(1 for q in sql if q.strip().upper().startswith(("BEGIN", "COMMIT", "ROLLBACK", "SAVEPOINT", "RELEASE")))
        statements.append({"request": label, "statements": len(sql), "transaction_control": tx, "sql": sql})
        print(f"| {label} | {len(sql)} | {tx} |", flush=True)
with open("/proc/loadavg") as f:
    load_after = f.read().split()[:3]
print(f"load average after: {' '.join(load_after)}")
if a.json:
    with open(a.json, "w") as f:
        json.dump({"pages": rows, "concurrent": conc, "statements": statements, "load_before": load_before,
                   "load_after": load_after, "at": time.time()}, f, indent=1)


def form_values(html, action):
    """The fields of the form posting to `action`, as a browser sends them back."""
    form = html.split(f'action="{action}"', 1)[1].split("</form>", 1)[0]
    fields = dict(re.findall(r'<input[^>]*name="([^"]+)"[^>]*value="([^"]*)"', form))
    for name, value in re.findall(r'<select[^>]*name="([^"]+)".*?<option value="([^"]*)"[^>]*selected', form, re.S):
        fields[name] = value
    return fields


if a.assign:
    _, page = chair.get("/chair/assignment")
    fields = form_values(page.decode(), "/chair/assignment/run")
    old_run = re.search(r'name="run" value="([^"]+)"', page.decode())
    old_run = old_run.group(1) if old_run else None
    before, t0 = cpu_seconds(a.pid), time.perf_counter()
    status, _ = chair.request("POST", "/chair/assignment/run", urllib.parse.urlencode(fields),
                              {"Content-Type": "application/x-www-form-urlencoded"})
    message, polls, view_cpu = "", 0, 0.0
    for i in range(600):
        time.sleep(a.first_poll if i == 0 else 2.0)
        polls += 1
        view_start = cpu_seconds(a.pid)
        _, page = chair.get("/chair/assignment")
        view_cpu += cpu_seconds(a.pid) - view_start
        text = page.decode()
        run = re.search(r'name="run" value="([^"]+)"', text)
        if (run and run.group(1) != old_run) or "No assignment satisfies" in text:
            found = re.search(r"The engine proposed [^<]*? s\.", text)
            message = found.group(0) if found else re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", text))[:300]
            if "leaves minimum loads out" in text or "Minimum loads could not all be met" in text:
                message += " (minimum loads lowered)"
            break
    wall, cpu = time.perf_counter() - t0, cpu_seconds(a.pid) - before
    print(f"\ncompute a preview: answered {status}, done after {wall:.1f} s wall (polled every 2 s), "
          f"{cpu:.1f} s server CPU including {polls} views of the assignment page "
          f"({cpu - view_cpu:.2f} s without them; exact when no view overlapped the engine, "
          f"see --first-poll); {message}")
