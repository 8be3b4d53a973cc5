"""The demo history of the service desk: tickets played through the ORM at their own moments.

Called by the demo data (``itsm.ticket._demo_generate_tickets``) and by the demo of other modules
(``itsm_sla``), which play tickets of their own with the same functions.
"""

import random
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import fields

from .demo_clock import demo_clock, first_play

DEMO_SUBJECTS = {
    "incident": [
        "Laptop does not start",
        "Printer on floor 2 jams",
        "Cannot connect to VPN",
        "Outlook keeps asking for the password",
        "Wi-Fi drops in meeting room B",
        "ERP report takes minutes to open",
        "Blue screen after update",
        "Shared drive not reachable",
    ],
    "service_request": [
        "Password reset",
        "New user account for a newcomer",
        "Access to the finance share",
        "Restore a deleted folder from backup",
        "More disk space on my mailbox",
        "Second monitor",
    ],
    "change_request": [
        "Upgrade the ERP to the new release",
        "Add a VLAN for the lab",
        "Replace the office firewall",
    ],
    "question": [
        "How do I share my calendar?",
        "Which browser is supported?",
        "How do I connect to the guest Wi-Fi?",
    ],
}


def generate_tickets(env, count=100, seed=2026):
    """Demo data: a year of tickets across kinds, stages and lines, a known error and a
    major incident with its review, all played through the ORM at their own moments."""
    if not first_play(env, "tickets"):
        return True
    customers = env["res.partner"].search(
        [("parent_id", "in", [env.ref(f"base.res_partner_{i}").id for i in range(1, 5)])]
    )
    tickets = play_history(env, customers, count=count, seed=seed)
    problem_and_major_incident(env, tickets)
    return True


def working_moment(rnd, day):
    """A moment of office hours (08:00-17:00 UTC) on the working day of ``day`` or the next one."""
    while day.weekday() >= 5:
        day += timedelta(days=1)
    return datetime.combine(day.date(), time(8)) + timedelta(minutes=rnd.randint(0, 9 * 60 - 1))


def ticket_vals(env, rnd, customers):
    """The values of a demo ticket of one of ``customers``: kind, subject, service, priority, channel."""
    kind = rnd.choice(["incident"] * 6 + ["service_request"] * 3 + ["change_request", "question"])
    services = env["itsm.service"].search([("is_published", "=", True)], order="id")
    return {
        "name": rnd.choice(DEMO_SUBJECTS[kind]),
        "kind": kind,
        "team_id": env.ref("itsm_helpdesk.demo_team_desk").id,
        "partner_id": rnd.choice(customers).id,
        "service_id": rnd.choice(services).id,
        # P1 incidents would be major incidents: the demo has one, made on purpose
        "impact": rnd.choice("23"),
        "urgency": rnd.choice("123"),
        "channel": rnd.choice(["portal", "email", "email", "phone", "walk_in", "monitoring"]),
        "description": Markup("<p>Reported by the user; see the conversation below.</p>"),
    }


def plan_ticket(env, rnd, customers, now, days):
    """What happens to one demo ticket, and when: [(moment, event, argument)], opening first."""
    opened = working_moment(rnd, now - timedelta(days=rnd.uniform(2, days)))
    events = [(opened, "open", ticket_vals(env, rnd, customers))]
    # first reply: most within the hour and a half, some after several hours (late for an SLA)
    if rnd.random() < 0.8:
        replied = opened + timedelta(minutes=rnd.randint(5, 90))
    else:
        replied = opened + timedelta(hours=rnd.uniform(2, 9))
    events.append((replied, "reply", None))
    # line transfers: a fifth goes to field support, a third of those on to the experts
    line = "1"
    if rnd.random() < 0.22:
        line = "2"
        events.append((replied + timedelta(hours=rnd.uniform(0.5, 24)), "line", "2"))
        if rnd.random() < 0.35:
            line = "3"
            events.append((events[-1][0] + timedelta(hours=rnd.uniform(2, 48)), "line", "3"))
    last = events[-1][0]
    if rnd.random() < 0.15:
        wait = last + timedelta(hours=rnd.uniform(0.5, 4))
        events.append((wait, "stage", "itsm_helpdesk.stage_waiting_customer"))
        last = wait + timedelta(hours=rnd.uniform(4, 72))
        events.append((last, "stage", "itsm_helpdesk.stage_in_progress"))
    if line == "1":
        hours = rnd.uniform(0.5, 30) if rnd.random() < 0.75 else rnd.uniform(30, 150)
    else:
        hours = rnd.uniform(8, 220)
    closed = max(last, opened + timedelta(hours=hours)) + timedelta(minutes=rnd.randint(5, 60))
    # recent tickets are still open more often: the backlog of the desk
    age_days = (now - opened).days
    if closed < now and rnd.random() < (0.92 if age_days > 30 else 0.55):
        events.append((closed, "close", rnd.random() < 0.4))
    # what would happen after the installation has not happened yet
    return [event for event in events if event[0] < now]


def play_history(env, customers, count=100, seed=2026, days=365):
    """Create ``count`` tickets of ``customers`` opened over the last ``days`` days and play
    their lives (reply, line transfers, waiting, closing). Returns the tickets."""
    rnd = random.Random(seed)
    now = fields.Datetime.now().replace(microsecond=0)
    return play_plans(env, [plan_ticket(env, rnd, customers, now, days) for _i in range(count)])


def play_plans(env, plans):
    """Play the tickets' events with the clock at each event, so that every date and stored
    KPI (first response, assignment, line 2, resolution, SLA clocks) is the code's own.

    ``plans``: one list of (moment, event, argument) per ticket, its opening first. Tickets
    are created in the order they were opened. Returns the tickets.
    """
    plans = sorted(plans, key=lambda events: events[0][0])
    quiet = env["itsm.ticket"].with_context(mail_create_nolog=True)
    tickets = env["itsm.ticket"]
    with demo_clock(env, plans[0][0][0]) as move_to:
        for events in plans:
            ticket = env["itsm.ticket"]
            for moment, event, argument in sorted(events, key=lambda event: event[0]):
                move_to(moment)
                ticket = play_event(ticket, quiet, event, argument) or ticket
            tickets |= ticket
    return tickets


def play_event(ticket, quiet, event, argument):
    """Play ``event`` on ``ticket`` (``quiet``: the model that opens tickets); returns the ticket."""
    ref = ticket.env.ref
    if event == "open":
        return quiet.create(argument).with_env(ticket.env)
    if event == "reply":
        if ticket.stage_id == ref("itsm_helpdesk.stage_new"):
            ticket.write({"stage_id": ref("itsm_helpdesk.stage_in_progress").id})
        # the assignee answers as themselves: that reply is the first response the desk counts
        agent = ticket.user_id or ref("itsm_helpdesk.demo_agent_anna")
        ticket.with_user(agent).sudo().message_post(
            body=Markup("<p>%s</p>") % "We are on it; we will keep you informed here.",
            message_type="comment",
            subtype_xmlid="mail.mt_comment",
        )
    elif event == "line":
        team, reason = {
            "2": ("itsm_helpdesk.demo_team_field", "Needs an on-site intervention"),
            "3": ("itsm_helpdesk.demo_team_network", "Root cause in the network core"),
        }[argument]
        ticket.with_context(itsm_transfer_reason=reason).write({"team_id": ref(team).id})
    elif event == "stage":
        ticket.write({"stage_id": ref(argument).id})
    elif event == "close":
        ticket.write({"stage_id": ref("itsm_helpdesk.stage_solved").id, "is_advice_given": argument})
    return ticket


def problem_and_major_incident(env, tickets):
    """A known error behind the VPN incidents, and a major incident of last month with its review."""
    Ticket = env["itsm.ticket"]
    vpn = env.ref("itsm_helpdesk.demo_service_network")
    vpn_incidents = tickets.filtered(lambda t: t.kind == "incident" and t.service_id == vpn)[:4]
    problem = env["itsm.problem"].create(
        {
            "name": "VPN sessions drop after 30 minutes",
            "service_id": vpn.id,
            "state": "known_error",
            "root_cause": "The VPN concentrator's idle timeout is shorter than the client's keep-alive.",
            "known_error_note": "Client versions 4.2.x do not send keep-alives.",
            "workaround": "<p>Reconnect, or install client 4.1 from the software centre.</p>",
        }
    )
    vpn_incidents.write({"problem_id": problem.id})
    day = fields.Date.context_today(Ticket).replace(day=10) - relativedelta(months=1)
    start = working_moment(random.Random(1), datetime.combine(day, time(0)))
    start = start.replace(hour=8, minute=10)
    with demo_clock(env, start) as move_to:
        major = Ticket.create(
            {
                "name": "E-mail down for the whole company",
                "kind": "incident",
                "team_id": env.ref("itsm_helpdesk.demo_team_desk").id,
                "service_id": env.ref("itsm_helpdesk.demo_service_email").id,
                "impact": "1",
                "urgency": "1",
                "affected_user_count": 240,
                "affected_partner_ids": [(6, 0, [env.ref("base.res_partner_1").id])],
                "channel": "monitoring",
                "description": "<p>No mailbox reachable since 08:10.</p>",
            }
        )
        move_to(start + timedelta(minutes=20))
        play_event(major, Ticket, "reply", None)
        move_to(start + timedelta(days=2, hours=1))
        review = env["itsm.major.incident.review"].create(
            {
                "ticket_id": major.id,
                "timeline": "<p>08:10 alert, 08:15 declared major, 09:40 certificate renewed, "
                "09:50 service back.</p>",
                "root_cause": "The mail gateway's TLS certificate expired.",
                "actions": "<p>Monitor certificate expiry 30 days ahead.</p>",
            }
        )
        move_to(start + timedelta(days=3, hours=2))
        review.action_complete()
        # a major incident is closed once its review is completed
        move_to(start + timedelta(days=3, hours=3))
        play_event(major, Ticket, "close", True)
