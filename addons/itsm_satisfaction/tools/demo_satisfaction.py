"""The demo history of satisfaction: ratings of the solved demo tickets and a callback campaign.

Called by the demo data (``itsm.callback.campaign._demo_generate_ratings`` and
``_demo_run_campaign``), each answer given at its own moment with the clock of the desk's demo
history (``itsm_helpdesk/tools/demo_clock.py``).
"""

import random
from datetime import datetime, time, timedelta

from odoo import fields

from odoo.addons.itsm_helpdesk.tools.demo_clock import demo_clock, first_play


def generate_ratings(env, seed=2026):
    """Demo ratings on the resolved demo tickets not rated yet: real ones of each channel and
    a few defaults, each given a few hours to a week after the ticket was solved, at that moment."""
    rng = random.Random(seed)
    rated = env["rating.rating"].sudo().search([("res_model", "=", "itsm.ticket")]).mapped("res_id")
    tickets = env["itsm.ticket"].search(
        [("is_closed", "=", True), ("partner_id", "!=", False), ("id", "not in", rated)],
        order="closed_at, id",
    )
    model_id = env["ir.model"]._get_id("itsm.ticket")
    now = fields.Datetime.now()
    Rating = env["rating.rating"].sudo()
    # each customer's tickets take the channels in turn: every six solved tickets of a
    # customer bring four ratings (one of them with no comment), a default rating and a silence
    channels = ["email", "default", "portal", None, "on_site", "email"]
    feedbacks = ["Quick and friendly.", "Clear explanations.", False, "Took too long."]
    turns = {}
    planned = []
    for ticket in tickets:
        turn = turns[ticket.commercial_partner_id] = turns.get(ticket.commercial_partner_id, -1) + 1
        channel = channels[turn % len(channels)]
        if channel is None:
            continue
        # a default rating is given when the window to rate closes; the others within two days
        delay = timedelta(days=7) if channel == "default" else timedelta(hours=rng.uniform(1, 48))
        moment = min(ticket.closed_at + delay, now - timedelta(minutes=1))
        planned.append(
            (
                moment,
                {
                    "res_model_id": model_id,
                    "res_id": ticket.id,
                    "partner_id": ticket.partner_id.id,
                    "rated_partner_id": ticket.user_id.partner_id.id,
                    "rating": 5 if channel == "default" else rng.choice([1, 3, 4, 5, 5, 5]),
                    "consumed": True,
                    "is_default": channel == "default",
                    "itsm_channel": channel,
                    "feedback": feedbacks[turn % len(feedbacks)] if channel != "default" else False,
                },
            )
        )
    planned.sort(key=lambda item: item[0])
    if not planned:
        return True
    with demo_clock(env, planned[0][0]) as move_to:
        for moment, vals in planned:
            move_to(moment)
            Rating.create(vals)
    return True


def run_campaign(env, campaign_id):
    """Draw the demo campaign's sample of last month's tickets at the start of this month, and
    answer a few calls in the following hours, the callers' answers dated when they were given."""
    campaign = env["itsm.callback.campaign"].browse(campaign_id)
    if campaign.state != "draft" or not first_play(env, "callbacks"):
        return True
    today = fields.Date.context_today(campaign)
    first = today.replace(day=1)
    last_month_start = (first - timedelta(days=1)).replace(day=1)
    campaign.write({"period_start": last_month_start, "period_end": first - timedelta(days=1)})
    now = fields.Datetime.now()
    start = min(datetime.combine(first, time(8)), now - timedelta(hours=4))
    rng = random.Random(7)
    with demo_clock(env, start) as move_to:
        campaign.action_generate()
        for index, callback in enumerate(campaign.callback_ids[:3]):
            move_to(start + timedelta(hours=1 + index))
            callback.write(
                {
                    "overall_score": rng.choice(["3", "4", "5"]),
                    "timeliness_score": rng.choice(["3", "4", "5"]),
                    "courtesy_score": "5",
                    "informed": "yes",
                    "advice_given": rng.choice(["yes", "no"]),
                }
            )
            callback.action_mark_done()
    return True
