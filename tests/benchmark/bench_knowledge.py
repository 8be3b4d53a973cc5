#!/usr/bin/env python3
"""Knowledge benchmark: article suggestions in Chinese and English at 10,000 published articles.

Run through ``make bench``, or alone::

    python3 tests/benchmark/bench_knowledge.py --addons-path=<odoo addons>,<repo>/addons

It (re)creates a database with ``itsm_knowledge`` (no demo data), creates published articles
through the ORM (default 10,000, titles and texts drawn from Chinese and English vocabularies,
so each common term is shared by hundreds of articles), then times what a portal user gets
while typing the subject of a ticket: ``_get_suggestions`` for Chinese, English and mixed
queries, each run 20 times. The target is a 95th percentile of at most 100 ms.
"""

import argparse
import random
import statistics
import sys
import time

from benchlib import close_registry, default_data_dir, drop_database, install_database, open_registry

TARGET_MS = 100.0
RUNS = 20
QUERIES = (
    "我的打印机无法打印",
    "打印机坏了",
    "VPN连接失败",
    "邮箱密码忘记了怎么办",
    "The printer does not print",
    "VPN does not connect from the hotel",
    "laptop very slow after update",
    "会议室预订",
)
ZH_THINGS = [
    "打印机",
    "电脑",
    "邮箱",
    "网络",
    "VPN",
    "手机",
    "显示器",
    "键盘",
    "服务器",
    "数据库",
    "账号",
    "无线网",
]
ZH_FAULTS = [
    "无法打印",
    "无法连接",
    "速度很慢",
    "密码重置",
    "无法登录",
    "蓝屏",
    "没有声音",
    "卡纸",
    "同步失败",
]
ZH_TEXT = [
    "请先检查电源和网线",
    "重启设备后再试一次",
    "联系服务台获取帮助",
    "按照以下步骤操作",
    "更新驱动程序",
]
EN_THINGS = [
    "printer",
    "laptop",
    "mailbox",
    "network",
    "VPN",
    "phone",
    "screen",
    "keyboard",
    "server",
    "account",
]
EN_FAULTS = ["does not print", "cannot connect", "is slow", "password reset", "cannot sign in", "crashes"]
EN_TEXT = [
    "check the cable",
    "restart the device",
    "call the service desk",
    "follow these steps",
    "update it",
]


def parse_args(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n", 1)[0])
    parser.add_argument("--addons-path", required=True)
    parser.add_argument("--database", default="itsm_bench_knowledge")
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--keep", action="store_true", help="do not drop the database at the end")
    parser.add_argument("--data-dir", default=default_data_dir())
    return parser.parse_args(argv)


def article_values(rng, n):
    if n % 2:
        thing, fault = rng.choice(ZH_THINGS), rng.choice(ZH_FAULTS)
        name = f"{thing}{fault}怎么办 {n}"
        body = "".join(f"<p>{rng.choice(ZH_TEXT)}，{thing}{rng.choice(ZH_FAULTS)}。</p>" for _i in range(4))
    else:
        thing, fault = rng.choice(EN_THINGS), rng.choice(EN_FAULTS)
        name = f"The {thing} {fault} ({n})"
        body = "".join(
            f"<p>If the {thing} {rng.choice(EN_FAULTS)}, {rng.choice(EN_TEXT)}.</p>" for _i in range(4)
        )
    return {"name": name, "summary": name, "body": body, "is_published": True}


def populate(env, count):
    rng = random.Random(11)
    Article = env["itsm.kb.article"].with_context(tracking_disable=True, mail_create_nolog=True)
    for offset in range(0, count, 1000):
        Article.create([article_values(rng, n) for n in range(offset, min(count, offset + 1000))])
        env.flush_all()
        env.invalidate_all()
    env.cr.execute("ANALYZE itsm_kb_article")
    portal = env.ref("base.group_portal")
    return (
        env["res.users"]
        .with_context(no_reset_password=True)
        .create({"name": "Bench portal", "login": "bench_portal", "groups_id": [(6, 0, portal.ids)]})
    )


def measure(env, user):
    Article = env["itsm.kb.article"].with_user(user)
    timings, found = [], {}
    for query in QUERIES:
        Article._get_suggestions(query)  # warm the caches
        for _run in range(RUNS):
            env.invalidate_all()
            start = time.perf_counter()
            found[query] = Article._get_suggestions(query)
            timings.append((time.perf_counter() - start) * 1000)
        per_query = timings[-RUNS:]
        print(
            f"{query!r}: {len(found[query])} suggestions, median {statistics.median(per_query):.1f} ms,"
            f" max {max(per_query):.1f} ms",
            flush=True,
        )
    timings.sort()
    return timings[int(len(timings) * 0.95) - 1], found


def main(argv=None):
    args = parse_args(argv)
    install_database(args.database, args.addons_path, args.data_dir, "itsm_knowledge")
    import odoo

    registry = open_registry(args.database, args.addons_path, args.data_dir)
    status = 0
    try:
        with registry.cursor() as cr:
            env = odoo.api.Environment(cr, odoo.SUPERUSER_ID, {})
            print(f"Creating {args.articles} published articles...", flush=True)
            start = time.perf_counter()
            user = populate(env, args.articles)
            print(f"  created in {time.perf_counter() - start:.1f} s", flush=True)
            p95, found = measure(env, user)
            verdict = "OK" if p95 <= TARGET_MS else "TOO SLOW"
            label = f"Suggestions, p95 at {args.articles} articles"
            print(f"\n| {label} | {p95:.1f} ms | ≤ {TARGET_MS:.0f} ms | {verdict} |")
            if not found["我的打印机无法打印"] or found["会议室预订"]:
                print("unexpected suggestions: Chinese matching is broken", flush=True)
                status = 1
            status = status or (0 if p95 <= TARGET_MS else 1)
            cr.rollback()
    finally:
        close_registry(args.database)
        if not args.keep:
            drop_database(args.database, args.data_dir)
    return status


if __name__ == "__main__":
    sys.exit(main())
