"""Migrations: idempotent, safe when run concurrently, and a failing file
changes nothing."""
import os
import shutil
import subprocess
import sys
import tempfile

sys.path.insert(0, os.path.dirname(__file__))
from harness import Stack, Tap, pg_bindir  # noqa: E402

t = Tap()
s = Stack(t)


@t.case("up migrates: every file once, RLS, ownership")
def up():
    global files
    s.up()
    files = sorted(f for f in os.listdir(s.path("app", "sql")) if f.endswith(".sql"))
    t.ok(files, "there are migrations", s.path("app", "sql"))
    t.eq(s.psql("SELECT string_agg(name, ',' ORDER BY version) FROM schema_migrations"),
         ",".join(files), "up applied every migration once")
    for table in ("tenants", "users", "api_keys", "instances", "messages"):
        t.eq(s.psql("SELECT to_regclass('public.%s') IS NOT NULL" % table), "t",
             "table %s exists" % table)

    t.eq(s.psql("SELECT string_agg(c.relname, ',') FROM pg_class c JOIN pg_attribute a ON a.attrelid = c.oid "
                "AND a.attname = 'tenant_id' WHERE c.relkind = 'r' AND c.relnamespace = 'public'::regnamespace "
                "AND NOT (c.relrowsecurity AND EXISTS (SELECT 1 FROM pg_policy p WHERE p.polrelid = c.oid))"), "",
         "every table with a tenant_id has row-level security and a policy")
    t.eq(s.psql("SELECT count(*) FROM pg_class WHERE relkind = 'r' AND relnamespace = 'public'::regnamespace "
                "AND relowner = (SELECT oid FROM pg_roles WHERE rolname = 'waqtor_app')"), "0",
         "the role the API works as owns no table")
    r = s.ctl("migrate")
    t.ok(r.returncode == 0 and "migrations applied: 0" in r.stdout, "a second migrate applies nothing",
         r.stdout + r.stderr)


@t.case("concurrent runs on a fresh database")
def concurrent():
    # Concurrent runs on a fresh database: every file applied exactly once.
    s.psql("CREATE DATABASE concurrent")
    url = {"WAQTOR_DATABASE_URL": "postgresql:///concurrent?host=%s&user=waqtor" % s.path("pg", "sock")}
    env = dict(s.env, WAQTOR_SQL_DIR=s.path("app", "sql"), **url)
    procs = [subprocess.Popen(s.as_service() + [s.path("app", "bin", "waqtorctl"), "migrate"], env=env,
                              stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
             for _ in range(4)]
    outs = [p.communicate(timeout=60) for p in procs]
    t.ok(all(p.returncode == 0 for p in procs), "four concurrent migrate runs all succeed", outs)
    applied = sum(int(o.split("migrations applied: ")[1].split()[0]) for o, _ in outs)
    t.eq(applied, len(files), "together they applied each file once")
    count = subprocess.run([os.path.join(pg_bindir(s.path("pg", "data")), "psql"), "-X",
                            "-h", s.path("pg", "sock"), "-U", "waqtor", "-d", "concurrent",
                            "-tAc", "SELECT count(*) FROM schema_migrations"],
                           stdout=subprocess.PIPE, text=True, check=True).stdout.strip()
    t.eq(count, str(len(files)), "schema_migrations lists each once")


@t.case("a failing migration rolls back whole")
def failing():
    # A failing migration rolls back whole and stops the run.
    bad = tempfile.mkdtemp(prefix="wq-sql-")
    try:
        os.chmod(bad, 0o755)
        for f in files:
            shutil.copy(s.path("app", "sql", f), bad)
        with open(os.path.join(bad, "900_half.sql"), "w") as f:
            f.write("CREATE TABLE half_done (id int);\nSELECT * FROM no_such_table;\n")
        with open(os.path.join(bad, "901_after.sql"), "w") as f:
            f.write("CREATE TABLE after_bad (id int);\n")
        for name in os.listdir(bad):
            os.chmod(os.path.join(bad, name), 0o644)
        r = s.ctl("migrate", env={"WAQTOR_SQL_DIR": bad})
        t.ok(r.returncode != 0 and "900_half.sql" in r.stderr, "a failing migration fails the run, naming the file",
             r.stdout + r.stderr)
        t.eq(s.psql("SELECT to_regclass('public.half_done') IS NULL AND to_regclass('public.after_bad') IS NULL"),
             "t", "nothing of it, nor of later files, is left")
        t.eq(s.psql("SELECT count(*) FROM schema_migrations WHERE version >= '900'"), "0",
             "it is not recorded")
    finally:
        shutil.rmtree(bad, ignore_errors=True)


@t.case("a missing directory is an error")
def missing_dir():
    # A missing directory is an error, not "nothing to do".
    r = s.ctl("migrate", env={"WAQTOR_SQL_DIR": "/nonexistent"})
    t.ok(r.returncode != 0 and "/nonexistent" in r.stderr, "a missing directory is an error", r.stderr)


try:
    t.run(diag=s.logs)
finally:
    s.destroy()
t.done()
