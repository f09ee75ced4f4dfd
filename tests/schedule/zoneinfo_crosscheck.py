#!/usr/bin/env python3
# Copyright 2026 The Stepwise Authors. Licensed under the Apache License, Version 2.0.
#
# Checks `stepwise schedule next` against an independent implementation: a brute-force
# reading of the EventBridge cron fields written here (day by day, then each hour and minute
# of the sets) over Python's zoneinfo, which reads the same system tzdata. Daylight saving
# time as EventBridge Scheduler documents it: a local time that does not exist is skipped,
# one that exists twice fires once, at its first instant. Cases: seeded random expressions
# (lists, ranges, steps, L, LW, nW, nL, n#k, names, year ranges) in zones with and without
# DST (including a 30-minute DST shift and a zone that skipped a whole day), and for every
# DST transition of several zones from 2016 to 2026, expressions aimed at the transition.
# Usage: zoneinfo_crosscheck.py PATH_TO_STEPWISE [CASES]   (exit 0 when all agree)
import datetime as dt
import random
import subprocess
import sys
import zoneinfo

UTC = dt.timezone.utc
ZONES = ["UTC", "America/New_York", "Europe/London", "Europe/Paris", "Australia/Lord_Howe",
         "America/Sao_Paulo", "Pacific/Apia", "Asia/Kolkata", "America/St_Johns"]
DST_ZONES = ["America/New_York", "Europe/London", "Australia/Lord_Howe", "America/St_Johns"]
MONTHS = ["JAN", "FEB", "MAR", "APR", "MAY", "JUN", "JUL", "AUG", "SEP", "OCT", "NOV", "DEC"]
DAYS = ["SUN", "MON", "TUE", "WED", "THU", "FRI", "SAT"]


def expand(field, lo, hi, names=None):
    """The set of values of a plain list field (no L/W/#/?)."""
    out = set()
    for item in field.split(","):
        step = None
        if "/" in item:
            item, step = item.split("/")
            step = int(step)

        def value(t):
            if names and t.upper() in names:
                return lo + names.index(t.upper())
            return int(t)
        if item == "*":
            a, b = lo, hi
        elif "-" in item:
            a, b = (value(t) for t in item.split("-"))
        else:
            a = value(item)
            b = hi if step else a
        out.update(range(a, b + 1, step or 1))
    return out


def last_day(y, m):
    return ((dt.date(y + (m == 12), m % 12 + 1, 1)) - dt.timedelta(days=1)).day


def weekday(y, m, d):  # 1 = Sunday ... 7 = Saturday
    return (dt.date(y, m, d).isoweekday() % 7) + 1


def nearest_weekday(y, m, n):
    last = last_day(y, m)
    if n > last:
        return None
    w = weekday(y, m, n)
    if w == 7:
        return 3 if n == 1 else n - 1
    if w == 1:
        return n - 2 if n == last else n + 1
    return n


def date_matches(f, y, m, d, years, months):
    dom, dow = f[2], f[4]
    if y not in years or m not in months:
        return False
    last = last_day(y, m)
    if dow == "?":
        u = dom.upper()
        if u == "L":
            return d == last
        if u == "LW":
            return d == nearest_weekday(y, m, last)
        if u.endswith("W"):
            return d == nearest_weekday(y, m, int(u[:-1]))
        return d in expand(dom, 1, 31)
    w = weekday(y, m, d)
    u = dow.upper()
    if u == "L":
        return w == 7
    if "#" in u:
        a, k = u.split("#")
        return w == expand(a, 1, 7, DAYS).pop() and (d - 1) // 7 + 1 == int(k)
    if u.endswith("L"):
        return w == expand(u[:-1], 1, 7, DAYS).pop() and d + 7 > last
    return w in expand(dow, 1, 7, DAYS)


def instant(zone, naive):
    """The first instant of local time `naive`, or None when it does not exist."""
    first = naive.replace(tzinfo=zone, fold=0).astimezone(UTC)
    second = naive.replace(tzinfo=zone, fold=1).astimezone(UTC)
    t = min(first, second)
    if t.astimezone(zone).replace(tzinfo=None) != naive:
        return None
    return t


def reference(fields, zone_name, after, count):
    zone = zoneinfo.ZoneInfo(zone_name)
    f = fields.split()
    minutes = sorted(expand(f[0], 0, 59))
    hours = sorted(expand(f[1], 0, 23))
    years = expand(f[5], 1970, 2199)
    months = expand(f[3], 1, 12, MONTHS)
    day = after.astimezone(zone).date() - dt.timedelta(days=2)
    out = []
    while day.year <= max(years):
        day += dt.timedelta(days=1)
        if day.year not in years or day.month not in months:
            continue
        if not date_matches(f, day.year, day.month, day.day, years, months):
            continue
        for h in hours:
            for mi in minutes:
                t = instant(zone, dt.datetime(day.year, day.month, day.day, h, mi))
                if t is not None and t > after:
                    out.append(t.astimezone(zone).isoformat())
                    if len(out) == count:
                        return out
    return out


def stepwise_next(cli, expr, zone, after, count):
    p = subprocess.run([cli, "schedule", "next", expr, "--tz", zone, "--count", str(count),
                        "--after", after.strftime("%Y-%m-%dT%H:%M:%SZ")],
                       capture_output=True, text=True)
    return p.returncode, p.stdout.split(), p.stderr.strip()


def random_list(r, lo, hi, names=None, steps=True):
    kind = r.choice([0, 1, 2, 3, 4, 5] if steps else [0, 1, 2, 4])
    v = lambda: str(r.randint(lo, hi)) if not names or r.random() < 0.5 else names[r.randint(lo, hi) - lo]
    if kind == 0:
        return "*"
    if kind == 1:
        return v()
    if kind == 2:
        a = r.randint(lo, hi)
        return f"{a}-{r.randint(a, hi)}"
    if kind == 3:
        return f"{r.choice(['*', str(r.randint(lo, hi))])}/{r.randint(1, max(1, (hi - lo) // 2))}"
    if kind == 4:
        return ",".join(sorted({str(r.randint(lo, hi)) for _ in range(r.randint(2, 4))}))
    a = r.randint(lo, hi)
    return f"{a}-{r.randint(a, hi)}/{r.randint(1, 3)}"


def random_cron(r):
    minutes = r.choice(["0", "30", "*/15", random_list(r, 0, 59)])
    hours = r.choice(["*", "1", "2", random_list(r, 0, 23)])
    if r.random() < 0.5:
        dom = r.choice(["*", "L", "LW", f"{r.randint(1, 31)}W", random_list(r, 1, 31)])
        dow = "?"
    else:
        dom = "?"
        day = r.choice([str(r.randint(1, 7)), r.choice(DAYS)])
        dow = r.choice(["*", "L", f"{day}L", f"{day}#{r.randint(1, 5)}", random_list(r, 1, 7, DAYS, steps=False)])
    month = r.choice(["*", "*", random_list(r, 1, 12, MONTHS)])
    a = r.randint(2016, 2030)
    year = r.choice(["*", "*", f"{a}-{r.randint(a, 2032)}", str(a)])
    return " ".join([minutes, hours, dom, month, dow, year])


def transitions(zone_name, start_year, end_year):
    """UTC instants where the zone's offset changes (hour resolution, then minutes)."""
    zone = zoneinfo.ZoneInfo(zone_name)
    t = dt.datetime(start_year, 1, 1, tzinfo=UTC)
    end = dt.datetime(end_year + 1, 1, 1, tzinfo=UTC)
    prev = t.astimezone(zone).utcoffset()
    out = []
    while t < end:
        n = t + dt.timedelta(hours=1)
        off = n.astimezone(zone).utcoffset()
        if off != prev:
            m = t
            while m.astimezone(zone).utcoffset() == prev:
                m += dt.timedelta(minutes=1)
            out.append(m)
            prev = off
        t = n
    return out


def main():
    cli = sys.argv[1]
    cases = int(sys.argv[2]) if len(sys.argv) > 2 else 1500
    r = random.Random(20260317)
    checks = []
    for _ in range(cases):
        expr = random_cron(r)
        after = dt.datetime(2015, 1, 1, tzinfo=UTC) + dt.timedelta(
            minutes=r.randrange(16 * 366 * 24 * 60))
        checks.append((expr, r.choice(ZONES), after, 6))
    for zone in DST_ZONES:
        for tr in transitions(zone, 2016, 2026):
            local = (tr - dt.timedelta(hours=3)).astimezone(zoneinfo.ZoneInfo(zone))
            d = local.date()
            checks.append((f"*/15 * {d.day} {d.month} ? {d.year}", zone,
                           tr - dt.timedelta(hours=3), 24))
            checks.append((f"{r.choice(['0', '15', '30', '45'])} * * * ? *", zone,
                           tr - dt.timedelta(hours=2), 5))
    failures = 0
    for expr, zone, after, count in checks:
        rc, got, err = stepwise_next(cli, f"cron({expr})", zone, after, count)
        want = reference(expr, zone, after, count)
        if rc == 2 and "no date from 1970 to 2199" in err and not want:
            continue
        if rc != 0 or got != want:
            failures += 1
            if failures <= 10:
                print(f"MISMATCH cron({expr}) --tz {zone} --after {after.isoformat()} "
                      f"(exit {rc} {err})\n  stepwise:  {got}\n  reference: {want}")
    print(f"zoneinfo_crosscheck: {len(checks)} expressions, {failures} mismatches")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
