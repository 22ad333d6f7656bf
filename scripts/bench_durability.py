#!/usr/bin/env python3
"""Cost of cfp's durability settings on this disk: an upload-like SQLite transaction (a
submission row and two outbox rows) and the outbox's one-row "sent" update, under synchronous
NORMAL vs FULL in WAL mode, and the fsync of a 300 KB stored file plus its folder.

usage: bench_durability.py DIR [--n 300]
"""
import argparse, os, sqlite3, statistics, time, uuid

p = argparse.ArgumentParser(); p.add_argument("dir"); p.add_argument("--n", type=int, default=300)
a = p.parse_args()
os.makedirs(a.dir, exist_ok=True)

def commits(sync):
    path = os.path.join(a.dir, f"bench-{sync}.db")
    for ext in ("", "-wal", "-shm"):
        if os.path.exists(path + ext): os.remove(path + ext)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL"); db.execute(f"PRAGMA synchronous = {sync}")
    db.execute("CREATE TABLE s (id TEXT PRIMARY KEY, title TEXT, body TEXT)")
    db.execute("CREATE TABLE o (id TEXT PRIMARY KEY, k TEXT UNIQUE, body TEXT)")
    times = []
    for i in range(a.n):
        t = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.execute("SELECT count(*) FROM s").fetchone()
        db.execute("INSERT INTO s VALUES (?, ?, ?)", (str(uuid.uuid4()), f"paper {i}", "x" * 2000))
        for j in range(2):
            db.execute("INSERT INTO o VALUES (?, ?, ?)", (str(uuid.uuid4()), f"k{i}-{j}", "y" * 1500))
        db.execute("COMMIT")
        times.append((time.perf_counter() - t) * 1000)
    marks = []
    for (k,) in db.execute("SELECT k FROM o LIMIT ?", (a.n,)).fetchall():
        t = time.perf_counter()
        db.execute("BEGIN IMMEDIATE")
        db.execute("UPDATE o SET body = 'sent' WHERE k = ?", (k,))
        db.execute("COMMIT")
        marks.append((time.perf_counter() - t) * 1000)
    db.close()
    return times, marks

def store_files():
    root = os.path.join(a.dir, "files"); os.makedirs(root, exist_ok=True)
    data = os.urandom(300 * 1024)
    plain, synced = [], []
    for i in range(a.n // 3):
        for bucket, do_sync in ((plain, False), (synced, True)):
            t = time.perf_counter()
            tmp = os.path.join(root, f".tmp{i}{do_sync}")
            with open(tmp, "wb") as f:
                f.write(data); f.flush()
                os.fsync(f.fileno())  # cfp fsynced the file before this issue too
            final = os.path.join(root, f"{uuid.uuid4().hex}")
            os.rename(tmp, final)
            if do_sync:
                fd = os.open(root, os.O_RDONLY); os.fsync(fd); os.close(fd)
            bucket.append((time.perf_counter() - t) * 1000)
    return plain, synced

def show(name, xs):
    xs = sorted(xs)
    print(f"{name:<38} median {statistics.median(xs):6.2f} ms  p95 {xs[int(len(xs)*0.95)]:6.2f} ms")

for sync in ("NORMAL", "FULL"):
    uploads, marks = commits(sync)
    show(f"upload transaction, synchronous={sync}", uploads)
    show(f"outbox 'sent' update, synchronous={sync}", marks)
plain, synced = store_files()
show("store 300 KB file (file fsync only)", plain)
show("store 300 KB file + folder fsync", synced)
