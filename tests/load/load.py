#!/usr/bin/env python3
"""Load test of the service desk's intake: what a client was told is saved is saved, once.

It builds a throwaway database, starts a real Odoo in prefork mode (4 workers by default) on a
free port of 127.0.0.1, and drives it at once from threads, each one a client of one channel:

- portal: a portal user logs in, opens the new-ticket form (CSRF token) and submits a ticket
  with an attachment;
- jsonrpc / xmlrpc: an external integration creates tickets with the API user's credentials;
- mail: raw RFC 822 e-mails handed to the mail gateway (``mail.thread.message_process`` over
  XML-RPC, as Odoo's mail gateway script and fetchmail do);
- monitoring: alerts POSTed as JSON with the source's token, each fired twice (the repeat is
  folded into the incident opened by the first);
- agent: agents reply to recent tickets (``message_post``) and move them between stages.

Every creation carries a unique marker in its subject. At the end the stored tickets are counted
per marker: a marker acknowledged but not stored is lost, one stored twice is duplicated. Each
repeat of an alert acknowledged must show in its incident's alert counter. p50, p95 and max
latencies are printed per channel, then what the server did meanwhile, from Odoo's own request log:
requests, queries and time per route, how busy the workers were, serialisation failures retried.
The exit status is 1 when anything was lost, duplicated or refused with an error, 0 otherwise.

With ``--fault``, a watchdog SIGKILLs a busy worker from time to time while the clients run: a
request in flight on it gets no answer (or a broken one), and the client retries it with the
same marker as idempotency key (a client reference: it looks the ticket up before re-sending).
The check then also verifies that every stored ticket is whole: a number, its requester among
its followers, its creation message.

Only loopback addresses are used. The run is bounded (``--per-client`` operations per client, or
``--seconds``) and the server is stopped and the database dropped at the end (``--keep-db`` to
keep it).
"""

import argparse
import contextlib
import json
import os
import random
import re
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import threading
import time
import uuid
import xmlrpc.client
from collections import Counter, defaultdict
from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

import requests

ROOT = Path(__file__).resolve().parents[2]
CHANNELS = ("portal", "jsonrpc", "xmlrpc", "mail", "monitoring", "agent")
CREATING = ("portal", "jsonrpc", "xmlrpc", "mail", "monitoring")
PASSWORD = "load-test-password"  # noqa: S105 - users of a throwaway database on 127.0.0.1
HTTP_TIMEOUT = 120
FAULT_ATTEMPTS = 6  # with --fault: an operation and its retries after a killed worker


def not_sent(error):
    """Whether a request failed before reaching the server (its connection was not accepted).

    The prefork server's listen queue holds 8 connections per worker; past it, connections wait
    in the kernel and can time out. Nothing was sent then: any client may safely try again.
    """
    return isinstance(error, (requests.exceptions.ConnectTimeout, ConnectionRefusedError, TimeoutError)) or (
        isinstance(error, requests.exceptions.ConnectionError) and "NewConnectionError" in repr(error)
    )


def log(message):
    print(message, flush=True)


def free_port():
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def addons_path():
    import odoo  # noqa: PLC0415 - only the path of the installed Odoo is needed

    base = Path(odoo.__file__).parent
    paths = [ROOT / "addons", base / "addons", base.parent / "addons"]
    return ",".join(str(path) for path in paths if path.is_dir())


def suite_modules():
    return ",".join(sorted(path.parent.name for path in (ROOT / "addons").glob("*/__manifest__.py")))


# ----------------------------------------------------------------------
# database and server
# ----------------------------------------------------------------------
def drop_db(dbname):
    import psycopg2  # noqa: PLC0415

    con = psycopg2.connect(dbname="postgres")
    con.autocommit = True
    with contextlib.closing(con), con.cursor() as cur:
        cur.execute(
            "SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = %s"
            " AND pid <> pg_backend_pid()",
            [dbname],
        )
        cur.execute(f'DROP DATABASE IF EXISTS "{dbname}"')


def odoo_args(opts, data_dir):
    return [
        sys.executable,
        str(Path(__file__).with_name("odoo_server.py")),
        f"--addons-path={addons_path()}",
        f"--data-dir={data_dir}",
        "-d",
        opts.db,
        f"--db-filter=^{opts.db}$",
        "--log-level=warn",
    ]


def install(opts, data_dir):
    started = time.monotonic()
    subprocess.run(
        [
            *odoo_args(opts, data_dir),
            "-i",
            opts.modules,
            "--without-demo=all",
            "--stop-after-init",
            "--max-cron-threads=0",
            "--http-port",
            str(free_port()),
        ],
        check=True,
        stdout=subprocess.DEVNULL,
        cwd=ROOT,
    )
    log(f"installed {opts.modules} into {opts.db} in {time.monotonic() - started:.0f} s")


class Server:
    """A real Odoo in prefork mode, in its own process group, killed at the end."""

    def __init__(self, opts, data_dir):
        self.opts = opts
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.logfile = Path(data_dir) / "odoo.log"
        args = [
            *odoo_args(opts, data_dir),
            "--http-interface=127.0.0.1",
            f"--http-port={self.port}",
            f"--gevent-port={free_port()}",
            f"--workers={opts.workers}",
            "--max-cron-threads=0",
            "--limit-time-real=300",
            "--limit-time-cpu=300",
            f"--logfile={self.logfile}",
            # each request's queries and time, and the retries of serialisation failures
            "--log-handler=werkzeug:INFO",
            "--log-handler=odoo.service.model:INFO",
        ]
        self.logfile.touch()
        with self.logfile.open("a") as stderr:
            self.process = subprocess.Popen(args, cwd=ROOT, start_new_session=True, stderr=stderr)  # noqa: S603

    def wait_ready(self, timeout=120):
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(
                    f"the server stopped (status {self.process.returncode}), see {self.logfile}"
                )
            with contextlib.suppress(requests.RequestException):
                if requests.get(f"{self.url}/web/login", timeout=5).status_code == 200:
                    return
            time.sleep(0.5)
        raise RuntimeError("the server did not answer in time")

    @staticmethod
    def at_once(count, target, *args):
        """Call ``target(*args)`` from ``count`` threads at the same moment; wait for them all."""
        threads = [threading.Thread(target=target, args=args, daemon=True) for _i in range(count)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=HTTP_TIMEOUT)

    def warm_up(self, db):
        """Make every worker load the registry before anything is measured."""
        self.at_once(self.opts.workers * 3, Rpc, self.url, db, "admin", "admin")

    def warm_up_credentials(self, db, identities):
        """Let every worker check each RPC identity's password once before the clock starts.

        Odoo verifies the password of an RPC call with a deliberately slow hash (600,000 rounds
        of PBKDF2, about 0.35 s of CPU here) and keeps the result per worker process; a desk in
        service has done so long ago. Without this, the first call of each identity on each
        worker (16 hashes with 4 identities and 4 workers, several seconds of both cores) falls
        in the measured seconds and delays the portal behind it. ``workers`` calls at once land
        on different workers, since a worker busy hashing takes no other connection; twice, for
        a worker that had already checked that identity and took a second call.
        """
        for login, password in identities:
            rpc = Rpc(self.url, db, login, password)
            for _round in range(2):
                self.at_once(self.opts.workers, rpc.fresh, "res.users", "context_get")

    def worker_pids(self):
        """Processes of the group other than the master and the gevent server: the HTTP workers."""
        pids = []
        for entry in Path("/proc").iterdir():
            if not entry.name.isdigit():
                continue
            with contextlib.suppress(OSError):
                stat = (entry / "stat").read_text().rsplit(")", 1)[1].split()
                ppid, pgid = int(stat[1]), int(stat[2])
                cmdline = (entry / "cmdline").read_bytes()
                if pgid == self.process.pid and ppid == self.process.pid and b"\0gevent\0" not in cmdline:
                    pids.append(int(entry.name))
        return pids

    def stop(self):
        if self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                with contextlib.suppress(ProcessLookupError):
                    os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait(timeout=20)
        # workers left behind by a killed master
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGKILL)


# ----------------------------------------------------------------------
# RPC helpers
# ----------------------------------------------------------------------
class Rpc:
    """XML-RPC of one thread (ServerProxy objects are not shared between threads)."""

    def __init__(self, url, db, login, password):
        self.db, self.password = db, password
        common = xmlrpc.client.ServerProxy(f"{url}/xmlrpc/2/common", allow_none=True)
        self.uid = common.authenticate(db, login, password, {})
        if not self.uid:
            raise RuntimeError(f"cannot log in as {login}")
        self.url_object = f"{url}/xmlrpc/2/object"
        self.models = xmlrpc.client.ServerProxy(self.url_object, allow_none=True)

    def __call__(self, model, method, *args, **kwargs):
        return self.models.execute_kw(self.db, self.uid, self.password, model, method, list(args), kwargs)

    def fresh(self, model, method, *args, **kwargs):
        """The same call on a connection of its own, for calls made from several threads at once."""
        models = xmlrpc.client.ServerProxy(self.url_object, allow_none=True)
        return models.execute_kw(self.db, self.uid, self.password, model, method, list(args), kwargs)


def json_rpc(session, url, db, uid, password, model, method, *args, **kwargs):
    payload = {
        "jsonrpc": "2.0",
        "method": "call",
        "id": random.randint(1, 1 << 30),
        "params": {
            "service": "object",
            "method": "execute_kw",
            "args": [db, uid, password, model, method, list(args), kwargs],
        },
    }
    response = session.post(f"{url}/jsonrpc", json=payload, timeout=HTTP_TIMEOUT)
    response.raise_for_status()
    data = response.json()
    if "error" in data:
        raise RuntimeError(data["error"].get("data", {}).get("message") or data["error"].get("message"))
    return data["result"]


# ----------------------------------------------------------------------
# fixtures
# ----------------------------------------------------------------------
def prepare(server, opts):
    """Users, a team assigning automatically, a monitoring source; returns what clients need."""
    admin = Rpc(server.url, opts.db, "admin", "admin")
    ref = lambda xmlid: admin("ir.model.data", "check_object_reference", *xmlid.split("."))[1]  # noqa: E731
    agent_group, portal_group = ref("itsm_helpdesk.group_itsm_agent"), ref("base.group_portal")
    company_id = admin("res.users", "read", [admin.uid], ["company_id"])[0]["company_id"][0]

    def users(prefix, count, group):
        return admin(
            "res.users",
            "create",
            [
                {
                    "name": f"Load {prefix} {i}",
                    "login": f"load_{prefix}_{i}",
                    "email": f"load_{prefix}_{i}@load.example.com",
                    "password": PASSWORD,
                    "groups_id": [(6, 0, [group])],
                }
                for i in range(count)
            ],
        )

    agents = users("agent", 4, agent_group)
    api_user = users("api", 1, agent_group)[0]
    portal_users = users("portal", max(opts.clients, 1), portal_group)
    # the team every channel creates into, first of the first line (where the portal files tickets)
    team_id = admin(
        "itsm.team",
        "create",
        {
            "name": "Load Desk",
            "sequence": -1,
            "support_line": "1",
            "assignment_method": "round_robin",
            "member_ids": [(6, 0, agents)],
        },
    )
    admin("itsm.team", "write", [team_id], {"sequence": -1})
    stages = admin("itsm.stage", "search_read", [("is_closed", "=", False)], ["id"], order="sequence")
    source_id = admin(
        "itsm.monitoring.source",
        "create",
        {"name": "Load Monitoring", "team_id": team_id, "company_id": company_id, "rate_limit": 1000000},
    )
    action = admin("itsm.monitoring.source", "action_rotate_token", [source_id])
    customer = admin("res.partner", "create", {"name": "Load Customer Ltd", "is_company": True})
    return {
        "team_id": team_id,
        "agents": [f"load_agent_{i}" for i in range(len(agents))],
        "api_user": "load_api_0",
        "api_uid": api_user,
        "portal_users": [f"load_portal_{i}" for i in range(len(portal_users))],
        "stage_ids": [stage["id"] for stage in stages],
        "token": action["context"]["default_token"],
        "customer_id": customer,
    }


# ----------------------------------------------------------------------
# clients
# ----------------------------------------------------------------------
class Results:
    def __init__(self):
        self.lock = threading.Lock()
        self.latencies = defaultdict(list)
        self.accepted = Counter()  # marker -> acknowledgements
        self.alerts = Counter()  # fingerprint marker -> alerts acknowledged
        self.errors = defaultdict(list)
        self.retries = Counter()
        self.unsent = Counter()  # connections the server did not accept, tried again

    def ok(self, channel, seconds, marker=None):
        with self.lock:
            self.latencies[channel].append(seconds)
            if marker:
                self.accepted[marker] += 1

    def error(self, channel, message):
        lines = [line.strip() for line in str(message).replace("\\n", "\n").splitlines() if line.strip()]
        # of a server traceback, its last line says what went wrong
        message = lines[-1] if len(lines) > 1 else str(message)
        with self.lock:
            self.errors[channel].append(message[:300])


class Client(threading.Thread):
    channel = None

    def __init__(self, index, ctx, results, stop_at, per_client, start):
        super().__init__(daemon=True, name=f"{self.channel}-{index}")
        self.index, self.ctx, self.results = index, ctx, results
        self.stop_at, self.per_client, self.start_event = stop_at, per_client, start
        self.url, self.db = ctx["url"], ctx["db"]
        self.rng = random.Random(index)
        self.ready = threading.Event()  # set once the client has logged in (or given up)

    def marker(self, number):
        return f"{self.ctx['run']}-{self.channel}-{self.index}-{number}"

    def run(self):
        try:
            for attempt in range(4):
                try:
                    self.setup()
                    break
                except Exception as error:  # noqa: BLE001 - reported, not raised in a thread
                    if not_sent(error) and attempt < 3:  # noqa: PLR2004
                        with self.results.lock:
                            self.results.unsent[self.channel] += 1
                        continue
                    self.results.error(self.channel, f"setup: {error!r}")
                    return
        finally:
            self.ready.set()
        self.start_event.wait()
        number = 0
        while number < self.per_client and time.monotonic() < self.stop_at:
            number += 1
            self.attempt(self.marker(number))

    def setup(self):
        pass

    def attempt(self, marker):
        """One operation, retried with the same marker when the answer was lost (a killed worker)."""
        attempt = unsent = 0
        attempts = FAULT_ATTEMPTS if self.ctx["fault"] else 2
        while attempt < attempts:
            started = time.monotonic()
            try:
                # the check of a retry can itself lose its worker: it is retried as the operation is
                if attempt and self.already_stored(marker):
                    self.results.accepted[marker] += 1
                    return
                seconds = self.once(marker)
            except Exception as error:  # noqa: BLE001 - every failure is counted, none hidden
                if not_sent(error) and unsent < 3:
                    unsent += 1
                    with self.results.lock:
                        self.results.unsent[self.channel] += 1
                    continue
                # a connection closed without an answer (a killed worker; a kept-alive connection
                # the server had closed): the client does not know whether it was saved, and
                # retries with the same marker after checking
                lost_answer = self.ctx["fault"] or isinstance(
                    error, (requests.exceptions.ConnectionError, ConnectionError)
                )
                if lost_answer and attempt < attempts - 1:
                    attempt += 1
                    with self.results.lock:
                        self.results.retries[self.channel] += 1
                    time.sleep(0.5 * attempt)  # the master needs a moment to fork a new worker
                    continue
                self.results.error(self.channel, repr(error))
                return
            if seconds is None:
                seconds = time.monotonic() - started
            self.results.ok(self.channel, seconds, marker if self.channel in CREATING else None)
            return

    def already_stored(self, marker):
        """The idempotency check of a retry: was the ticket of this marker stored after all?"""
        if self.channel not in CREATING:
            return False
        admin = self.ctx["admin"]()
        return bool(admin("itsm.ticket", "search_count", [("name", "like", marker)]))

    def once(self, marker):
        """Do one operation; return its latency when it is not the whole call."""
        raise NotImplementedError


class PortalClient(Client):
    channel = "portal"

    def setup(self):
        self.session = requests.Session()
        page = self.session.get(f"{self.url}/web/login", timeout=HTTP_TIMEOUT)
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
        login = self.ctx["portal_users"][self.index % len(self.ctx["portal_users"])]
        response = self.session.post(
            f"{self.url}/web/login",
            data={"login": login, "password": PASSWORD, "csrf_token": csrf, "redirect": "/my"},
            timeout=HTTP_TIMEOUT,
            allow_redirects=False,
        )
        if response.status_code != 303:
            raise RuntimeError(f"portal login refused ({response.status_code})")

    def once(self, marker):
        form = self.session.get(f"{self.url}/my/tickets/new", timeout=HTTP_TIMEOUT)
        form.raise_for_status()
        csrf = re.search(r'name="csrf_token" value="([^"]+)"', form.text).group(1)
        started = time.monotonic()
        response = self.session.post(
            f"{self.url}/my/tickets/new",
            data={
                "csrf_token": csrf,
                "name": f"{marker} printer jammed",
                "description": "The printer of the second floor jams on every page.",
                "urgency": "3",
                "kind": "incident",
            },
            files={"attachments": (f"{marker}.txt", f"log of {marker}\n".encode(), "text/plain")},
            timeout=HTTP_TIMEOUT,
            allow_redirects=False,
        )
        if response.status_code not in (302, 303) or "/my/tickets/" not in response.headers.get(
            "Location", ""
        ):
            raise RuntimeError(f"portal submission answered {response.status_code}")
        return time.monotonic() - started


class JsonRpcClient(Client):
    channel = "jsonrpc"

    def setup(self):
        self.session = requests.Session()
        self.uid = self.ctx["api_uid"]

    def once(self, marker):
        ticket_id = json_rpc(
            self.session,
            self.url,
            self.db,
            self.uid,
            PASSWORD,
            "itsm.ticket",
            "create",
            {
                "name": f"{marker} VPN down",
                "team_id": self.ctx["team_id"],
                "partner_id": self.ctx["customer_id"],
            },
        )
        if not isinstance(ticket_id, int):
            raise RuntimeError(f"unexpected answer {ticket_id!r}")


class XmlRpcClient(Client):
    channel = "xmlrpc"

    def setup(self):
        self.rpc = Rpc(self.url, self.db, self.ctx["api_user"], PASSWORD)

    def once(self, marker):
        ticket_id = self.rpc(
            "itsm.ticket",
            "create",
            {
                "name": f"{marker} mailbox full",
                "team_id": self.ctx["team_id"],
                "partner_id": self.ctx["customer_id"],
            },
        )
        if not isinstance(ticket_id, int):
            raise RuntimeError(f"unexpected answer {ticket_id!r}")


class MailClient(Client):
    channel = "mail"

    def setup(self):
        self.rpc = Rpc(self.url, self.db, "admin", "admin")

    def once(self, marker):
        message = EmailMessage()
        message["From"] = f"Requester {self.index} <requester{self.index}@customer.example.com>"
        message["To"] = "desk@load.example.com"
        message["Subject"] = f"{marker} cannot print"
        message["Message-Id"] = make_msgid(idstring=marker, domain="customer.example.com")
        message.set_content("Hello,\nthe printer does not print.\nRegards")
        message.add_attachment(f"{marker}\n".encode(), maintype="text", subtype="plain", filename="error.log")
        ticket_id = self.rpc(
            "mail.thread",
            "message_process",
            "itsm.ticket",
            xmlrpc.client.Binary(message.as_bytes()),
            custom_values={"team_id": self.ctx["team_id"]},
        )
        if not ticket_id:
            raise RuntimeError("the gateway stored nothing")

    def already_stored(self, marker):
        # the gateway itself ignores a Message-Id it has already processed
        return super().already_stored(marker)


class MonitoringClient(Client):
    channel = "monitoring"

    def post(self, marker):
        """POST one alert; return its answer and whether it was sent more than once.

        An alert whose answer was lost (a killed worker; under load, a connection the server
        closed without answering) is sent again, as a monitoring tool does: the repeat is folded
        into the incident when the first one was stored after all.
        """
        resent = False
        for attempt in range(4):
            try:
                response = requests.post(
                    f"{self.url}/itsm/monitoring/alert",
                    data=json.dumps(
                        {"fingerprint": marker, "message": f"{marker} disk full", "host": f"srv{self.index}"}
                    ),
                    headers={
                        "Authorization": f"Bearer {self.ctx['token']}",
                        "Content-Type": "application/json",
                    },
                    timeout=HTTP_TIMEOUT,
                )
            except requests.RequestException as error:
                if not_sent(error) and attempt < 3:
                    with self.results.lock:
                        self.results.unsent[self.channel] += 1
                    continue
                lost_answer = self.ctx["fault"] or isinstance(error, requests.exceptions.ConnectionError)
                if attempt == 3 or not lost_answer:  # noqa: PLR2004
                    raise
                resent = True
                with self.results.lock:
                    self.results.retries[self.channel] += 1
                time.sleep(0.5)
                continue
            if response.status_code in (200, 201):
                return response.json(), resent
            if not self.ctx["fault"] or response.status_code < 500 or attempt == 3:  # noqa: PLR2004
                raise RuntimeError(f"alert answered {response.status_code}: {response.text[:200]}")
        raise RuntimeError("unreachable")

    def once(self, marker):
        # fired twice: the repeat is folded into the incident the first one opened (a first alert
        # sent again after a lost answer is folded too, which the monitoring tool cannot tell)
        for repeat in range(2):
            answer, resent = self.post(marker)
            action = answer.get("action")
            with self.results.lock:
                self.results.alerts[marker] += 1
            expected = ("folded",) if repeat else ("created",)
            if self.ctx["fault"] or resent:
                expected = ("created", "folded")
            if action not in expected:
                raise RuntimeError(f"alert {repeat + 1} of {marker} was {action}")

    def attempt(self, marker):
        started = time.monotonic()
        try:
            self.once(marker)
        except Exception as error:  # noqa: BLE001
            self.results.error(self.channel, repr(error))
            return
        self.results.ok(self.channel, (time.monotonic() - started) / 2, marker)


class AgentClient(Client):
    channel = "agent"

    def setup(self):
        login = self.ctx["agents"][self.index % len(self.ctx["agents"])]
        self.rpc = Rpc(self.url, self.db, login, PASSWORD)
        # replies go through the chatter's route, as the web client posts them
        self.session = requests.Session()
        self.json("/web/session/authenticate", db=self.db, login=login, password=PASSWORD)

    def json(self, path, **params):
        response = self.session.post(
            f"{self.url}{path}",
            json={"jsonrpc": "2.0", "method": "call", "params": params},
            timeout=HTTP_TIMEOUT,
        )
        response.raise_for_status()
        data = response.json()
        if "error" in data:
            raise RuntimeError(data["error"].get("data", {}).get("message") or data["error"].get("message"))
        return data["result"]

    def once(self, marker):
        ids = self.rpc(
            "itsm.ticket",
            "search",
            [("team_id", "=", self.ctx["team_id"]), ("is_closed", "=", False)],
            limit=20,
            order="id desc",
        )
        if not ids:
            time.sleep(0.2)
            return
        ticket_id = self.rng.choice(ids)
        self.json(
            "/mail/message/post",
            thread_model="itsm.ticket",
            thread_id=ticket_id,
            post_data={
                "body": f"{marker}: we are on it",
                "message_type": "comment",
                "subtype_xmlid": "mail.mt_comment",
            },
        )
        self.rpc("itsm.ticket", "write", [ticket_id], {"stage_id": self.rng.choice(self.ctx["stage_ids"])})


CLIENT_CLASSES = {
    "portal": PortalClient,
    "jsonrpc": JsonRpcClient,
    "xmlrpc": XmlRpcClient,
    "mail": MailClient,
    "monitoring": MonitoringClient,
    "agent": AgentClient,
}


def split_clients(total):
    """Half of the clients on the portal (the channel with the latency target), the rest spread."""
    counts = dict.fromkeys(CHANNELS, 0)
    counts["portal"] = max(1, total // 2)
    others = [channel for channel in CHANNELS if channel != "portal"]
    for i in range(total - counts["portal"]):
        counts[others[i % len(others)]] += 1
    return counts


# ----------------------------------------------------------------------
# fault injection
# ----------------------------------------------------------------------
def killer(server, stop, kills, period):
    """SIGKILL a busy worker every ``period`` seconds (the master forks a new one)."""
    rng = random.Random(0)
    while not stop.wait(period):
        pids = server.worker_pids()
        if pids:
            pid = rng.choice(pids)
            with contextlib.suppress(ProcessLookupError):
                os.kill(pid, signal.SIGKILL)
                kills.append(pid)


# ----------------------------------------------------------------------
# verification and report
# ----------------------------------------------------------------------
def percentile(values, share):
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, int(round(share * len(ordered) + 0.5)) - 1))]


def verify(ctx, results):
    admin = ctx["admin"]()
    tickets = admin(
        "itsm.ticket",
        "search_read",
        [("name", "like", f"{ctx['run']}-")],
        [
            "name",
            "number",
            "partner_id",
            "message_follower_ids",
            "message_ids",
            "alert_count",
            "alert_fingerprint",
        ],
    )
    stored = Counter()
    pattern = re.compile(re.escape(ctx["run"]) + r"-[a-z]+-\d+-\d+")
    half_written = []
    alert_counts = {}
    followers = {}
    if tickets:
        for row in admin(
            "mail.followers",
            "search_read",
            [("res_model", "=", "itsm.ticket"), ("res_id", "in", [t["id"] for t in tickets])],
            ["res_id", "partner_id"],
        ):
            followers.setdefault(row["res_id"], set()).add(row["partner_id"][0])
    for ticket in tickets:
        match = pattern.search(ticket["name"])
        if not match:
            continue
        stored[match.group(0)] += 1
        if ticket["alert_fingerprint"]:
            alert_counts[ticket["alert_fingerprint"]] = ticket["alert_count"]
        partner = ticket["partner_id"] and ticket["partner_id"][0]
        if (
            not ticket["number"]
            or not ticket["message_ids"]
            or (partner and partner not in followers.get(ticket["id"], ()))
        ):
            half_written.append(ticket["name"])
    lost = sorted(marker for marker in results.accepted if not stored[marker])
    duplicated = sorted(marker for marker, count in stored.items() if count > 1)
    folded_lost = sorted(
        marker for marker, count in results.alerts.items() if alert_counts.get(marker, 0) < count
    )
    return {
        "accepted": len(results.accepted),
        "stored": sum(stored.values()),
        "unacknowledged_stored": sorted(marker for marker in stored if marker not in results.accepted),
        "lost": lost,
        "duplicated": duplicated,
        "alerts_lost": folded_lost,
        "half_written": half_written,
    }


# Odoo's request log: '... "POST /my/tickets/new HTTP/1.1" 303 - 46 0.031 0.102' (queries, SQL
# seconds, other seconds)
REQUEST_LOG = re.compile(r'"(\w+) (\S+) HTTP/[\d.]+" (\d{3}) - (\d+) ([\d.]+) ([\d.]+)')


def server_report(logfile, span, wall, workers):
    """What the server did during the run, from its request log (the bytes ``span`` of it)."""
    with open(logfile, "rb") as log_bytes:
        log_bytes.seek(span[0])
        lines = log_bytes.read(span[1] - span[0]).decode("utf-8", "replace").splitlines()
    routes = defaultdict(list)  # (method, path) -> [(queries, seconds)] of its requests
    retries = 0
    for line in lines:
        if "SERIALIZATION_FAILURE" in line or "tries left" in line:
            retries += 1
        match = REQUEST_LOG.search(line)
        if match:
            method, path, _status, count, sql, other = match.groups()
            path = path.split("?")[0]
            if not path.startswith("/xmlrpc/"):  # its version number is not a record's id
                path = re.sub(r"/\d+", "/<id>", path)
            routes[method, path].append((int(count), float(sql) + float(other)))
    if not routes:
        return
    busy = sum(seconds for served in routes.values() for _count, seconds in served)
    log("")
    log("server (Odoo's request log, requests during the run):")
    log(f"{'route':<34} {'requests':>8} {'queries p50':>11} {'ms p50':>7} {'busy s':>7}")
    for (method, path), served in sorted(routes.items(), key=lambda item: -sum(s for _c, s in item[1])):
        log(
            f"{method + ' ' + path:<34.34} {len(served):>8} "
            f"{percentile([count for count, _s in served], 0.5):>11} "
            f"{percentile([seconds for _c, seconds in served], 0.5) * 1000:>7.0f} "
            f"{sum(seconds for _c, seconds in served):>7.1f}"
        )
    log(
        f"workers busy {busy:.1f} s of {wall:.1f} s x {workers} workers"
        f" ({busy / (wall * workers):.0%}); serialisation failures retried: {retries}"
    )


def report(results, outcome, counts, wall, kills):
    log("")
    log(f"{'channel':<11} {'clients':>7} {'ok':>6} {'errors':>6} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for channel in CHANNELS:
        values = results.latencies.get(channel, [])
        cells = (
            [f"{percentile(values, share) * 1000:8.0f}" for share in (0.5, 0.95, 1.0)]
            if values
            else ["       -"] * 3
        )
        log(
            f"{channel:<11} {counts[channel]:>7} {len(values):>6} "
            f"{len(results.errors[channel]):>6} {' '.join(cells)}"
        )
    log("")
    log(
        f"accepted {outcome['accepted']}, stored {outcome['stored']}, lost {len(outcome['lost'])}, "
        f"duplicated {len(outcome['duplicated'])}, alerts lost {len(outcome['alerts_lost'])}, "
        f"half-written {len(outcome['half_written'])}, "
        f"errors {sum(len(v) for v in results.errors.values())}, "
        f"wall {wall:.1f} s"
    )
    if results.unsent:
        log(f"connections not accepted by the server, tried again: {dict(results.unsent)}")
    if kills is None and results.retries:
        log(f"answers lost on a closed connection, checked and tried again: {dict(results.retries)}")
    if kills is not None:
        log(
            f"workers killed: {len(kills)}, retries: {dict(results.retries)}, "
            "stored without acknowledgement (then found by the retry): "
            f"{len(outcome['unacknowledged_stored'])}"
        )
    for name in ("lost", "duplicated", "alerts_lost", "half_written"):
        if outcome[name]:
            log(f"{name}: {outcome[name][:10]}")
    for channel, errors in results.errors.items():
        for message in errors[:3]:
            log(f"error ({channel}): {message}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--clients", type=int, default=20, help="concurrent clients (default 20)")
    parser.add_argument("--per-client", type=int, default=10, help="operations per client (default 10)")
    parser.add_argument("--seconds", type=float, default=300, help="stop the clients after this time")
    parser.add_argument("--workers", type=int, default=4, help="Odoo HTTP workers (default 4)")
    parser.add_argument("--modules", default=suite_modules(), help="modules to install (default: the suite)")
    parser.add_argument("--db", default=f"itsm_load_{os.getpid()}", help="throwaway database name")
    parser.add_argument("--keep-db", action="store_true", help="keep the database and filestore")
    parser.add_argument("--fault", action="store_true", help="SIGKILL workers during the run; clients retry")
    parser.add_argument("--kill-every", type=float, default=2.0, help="seconds between kills with --fault")
    opts = parser.parse_args(argv)
    if opts.clients < 1 or opts.per_client < 1:
        parser.error("--clients and --per-client must be at least 1")

    data_dir = tempfile.mkdtemp(prefix="itsm_load_")
    server = None
    try:
        drop_db(opts.db)
        install(opts, data_dir)
        server = Server(opts, data_dir)
        server.wait_ready()
        server.warm_up(opts.db)
        fixtures = prepare(server, opts)
        server.warm_up_credentials(
            opts.db,
            [("admin", "admin"), (fixtures["api_user"], PASSWORD)]
            + [(login, PASSWORD) for login in fixtures["agents"]],
        )
        ctx = dict(fixtures, url=server.url, db=opts.db, run=f"LD{uuid.uuid4().hex[:8]}", fault=opts.fault)
        ctx["admin"] = lambda: Rpc(server.url, opts.db, "admin", "admin")
        counts = split_clients(opts.clients)
        results = Results()
        start = threading.Event()
        stop_at = time.monotonic() + opts.seconds + 60  # setup time of the clients included
        clients = [
            CLIENT_CLASSES[channel](index, ctx, results, stop_at, opts.per_client, start)
            for channel, count in counts.items()
            for index in range(count)
        ]
        log(
            f"{opts.clients} clients {dict(counts)}, {opts.per_client} operations each, "
            f"{opts.workers} workers"
        )
        for client in clients:
            client.start()
        # every client logs in before the operations start (and before any worker is killed):
        # the run measures operations, not logins
        for client in clients:
            client.ready.wait(timeout=HTTP_TIMEOUT * 4)
        started = time.monotonic()
        for client in clients:
            client.stop_at = min(client.stop_at, started + opts.seconds)
        log_offset = server.logfile.stat().st_size
        start.set()
        stop_killing, kills = threading.Event(), ([] if opts.fault else None)
        if opts.fault:
            threading.Thread(
                target=killer, args=(server, stop_killing, kills, opts.kill_every), daemon=True
            ).start()
        for client in clients:
            client.join(timeout=opts.seconds + HTTP_TIMEOUT * 5)
        stop_killing.set()
        wall = time.monotonic() - started
        log_span = (log_offset, server.logfile.stat().st_size)  # the run's requests, not the check's
        outcome = verify(ctx, results)
        report(results, outcome, counts, wall, kills)
        server_report(server.logfile, log_span, wall, opts.workers)
        failed = (
            outcome["lost"]
            or outcome["duplicated"]
            or outcome["alerts_lost"]
            or outcome["half_written"]
            or any(results.errors.values())
            or any(client.is_alive() for client in clients)
        )
        return 1 if failed else 0
    finally:
        if server:
            server.stop()
        if not opts.keep_db:
            drop_db(opts.db)
            shutil.rmtree(data_dir, ignore_errors=True)
        else:
            log(f"kept database {opts.db}, data directory {data_dir}")


if __name__ == "__main__":
    sys.exit(main())
