"""The demo history of the service level agreements: a year of tickets measured by a contract.

Called by the demo data (``itsm.sla.contract._demo_play_history``); the tickets are played with
the functions of the desk's demo history (``itsm_helpdesk/tools/demo_tickets.py``).
"""

import random
from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import fields

from odoo.addons.itsm_helpdesk.tools import demo_tickets
from odoo.addons.itsm_helpdesk.tools.demo_clock import demo_clock, first_play

# last month's tickets of the customer: (working day of the month, minutes to the first reply,
# hours to closing or None while open). Replies after 7 hours and closings after 200 hours are
# late for every target of the demo contract; the others are in time.
DEMO_LAST_MONTH = [
    (1, 15, 3),
    (2, 420, 200),
    (4, 30, 6),
    (6, 20, 220),
    (8, 480, 30),
    (10, 10, 2),
    (13, 25, None),
    (15, 450, None),
]


def play_history(env, contract_id, count=40, seed=2027):
    """A year of tickets of the contract's customer measured by the contract: each clock is
    started, stopped, met or breached by the code as the tickets live, at their own moments.

    Last month gets a fixed set of tickets met and breached, and some left open, so that the
    customer's service report of last month has something in every section.
    """
    if not first_play(env, "sla"):
        return True
    contract = env["itsm.sla.contract"].browse(contract_id)
    customers = env["res.partner"].search([("parent_id", "=", contract.partner_id.id)], order="id")
    customers = customers or contract.partner_id
    demo_tickets.play_history(env, customers, count=count, seed=seed)
    rnd = random.Random(seed + 1)
    first = fields.Date.context_today(contract).replace(day=1)
    last_month = (first - timedelta(days=1)).replace(day=1)
    working_days = [
        last_month + timedelta(days=n)
        for n in range((first - last_month).days)
        if (last_month + timedelta(days=n)).weekday() < 5
    ]
    plans = []
    for day_index, reply_minutes, close_hours in DEMO_LAST_MONTH:
        day = working_days[min(day_index, len(working_days) - 1)]
        opened = datetime.combine(day, time(9)) + timedelta(minutes=rnd.randint(0, 90))
        events = [
            (opened, "open", demo_tickets.ticket_vals(env, rnd, customers)),
            (opened + timedelta(minutes=reply_minutes), "reply", None),
        ]
        if close_hours:
            events.append((opened + timedelta(hours=close_hours), "close", bool(day_index % 2)))
        plans.append(events)
    demo_tickets.play_plans(env, plans)
    # the clocks of the tickets still open that ran out while nobody watched: the job's work
    env["itsm.ticket.sla"]._cron_process_due()
    hold_reviews(contract)
    return True


def hold_reviews(contract):
    """The contract's service level reviews of the quarters over, each held ten days after its
    quarter by the contract owner, with minutes and decisions."""
    env = contract.env
    today = fields.Date.context_today(contract)
    Review = env["itsm.sla.review"]
    start = contract.date_start
    with demo_clock(env, datetime.combine(start, time(9))) as move_to:
        while start + relativedelta(months=contract.review_interval_months or 3, days=10) < today:
            end = start + relativedelta(months=contract.review_interval_months or 3, days=-1)
            move_to(datetime.combine(end + timedelta(days=10), time(14)))
            review = (
                Review.with_user(contract.owner_id or env.user)
                .sudo()
                .create(
                    {
                        "contract_id": contract.id,
                        "date_from": start,
                        "date_to": end,
                        "minutes": Markup("<p>%s</p>")
                        % "Compliance of the quarter read target by target; each breach explained.",
                        "decisions": Markup("<p>%s</p>")
                        % "Late first replies: the desk answers the phone queue first in the morning.",
                    }
                )
            )
            review.action_done()
            start = end + timedelta(days=1)
