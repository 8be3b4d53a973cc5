"""The demo history of the communication plans: deliveries, answers and plan reviews month by month.

Called by the demo data (``itsm.communication.plan._demo_run_history``).
"""

from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import fields


def run_history(env, months=4):
    """Run the demo plans as if the jobs had run each day of the last ``months`` months.

    Each month's deliveries are made on the 2nd of the next month; recipients read and
    answer some of them; each month's plan review is held by its owner. The service review
    of the demo customer held last month shows its minutes on the portal.
    """
    Plan = env["itsm.communication.plan"]
    today = fields.Date.context_today(Plan)
    first = today.replace(day=1) - relativedelta(months=months)
    Line = env["itsm.communication.plan.line"]
    for step in range(months + 1):
        day = first + relativedelta(months=step, days=1)
        if day > today:
            break
        now = datetime.combine(day, time(7, 0))
        deliveries = Line._cron_deliver(now=now)
        for index, delivery in enumerate(deliveries.filtered(lambda d: d.state == "sent")):
            partner = delivery.recipient_partner_ids[:1]
            if index % 3 != 2 and partner:
                delivery.opened_at = now + timedelta(hours=3)
            if index % 2 == 0 and partner:
                delivery._acknowledge(partner)
            if index % 4 == 0 and partner:
                delivery._record_feedback(partner, "3", env._("Please add the trend over the last year."))
        for delivery in deliveries.filtered(lambda d: d.state == "scheduled" and d.due_date < today):
            delivery.write({"state": "sent", "sent_at": datetime.combine(delivery.due_date, time(10, 0))})
            delivery.activity_unlink(["mail.mail_activity_data_meeting"])
        reviews = Plan._cron_evaluate(now=now)
        if day.replace(day=1) < today.replace(day=1):
            reviews.write(
                {
                    "minutes": Markup("<p>%s</p>")
                    % env._("Figures delivered; unread reports followed up by phone."),
                    "changes": Markup("<p>%s</p>")
                    % env._("Board digest moved to the first week of the month."),
                }
            )
            reviews.action_done()
    return True
