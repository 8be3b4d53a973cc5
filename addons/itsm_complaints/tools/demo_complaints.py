"""The demo history of the complaints: a year of complaints and suggestions, and the monthly reviews.

Called by the demo data (``itsm.complaint._demo_play_history``), each step taken at its own moment
with the clock of the desk's demo history (``itsm_helpdesk/tools/demo_clock.py``).
"""

from datetime import datetime, time, timedelta

from dateutil.relativedelta import relativedelta
from markupsafe import Markup

from odoo import fields

from odoo.addons.itsm_helpdesk.tools.demo_clock import demo_clock, first_play

# subject, kind, channel, category, severity, description, months ago, how far it went
DEMO_COMPLAINTS = [
    (
        "Nobody called me back about my printer",
        "complaint",
        "phone",
        "category_response_time",
        "high",
        "I was promised a call back within the hour; nobody called for two days.",
        11,
        "closed",
    ),
    (
        "Open the desk at 7:30",
        "suggestion",
        "walk_in",
        "category_service_quality",
        "low",
        "Many of us start early; the desk opens at 8:30.",
        10,
        "closed",
    ),
    (
        "Rude answer on the phone",
        "complaint",
        "email",
        "category_attitude",
        "medium",
        "The agent hung up on me.",
        9,
        "escalated",
    ),
    (
        "My laptop still crashes after the repair",
        "complaint",
        "portal",
        "category_outcome",
        "high",
        "The ticket was closed but the problem is back.",
        8,
        "closed",
    ),
    (
        "Invoice for a licence we never ordered",
        "complaint",
        "email",
        "category_other",
        "medium",
        "This is about our accounting, not the IT service.",
        7,
        "rejected",
    ),
    (
        "The new VPN client is slow",
        "complaint",
        "portal",
        "category_service_quality",
        "medium",
        "Since the update the VPN takes minutes to connect.",
        6,
        "withdrawn",
    ),
    (
        "Password resets take a day",
        "complaint",
        "phone",
        "category_response_time",
        "medium",
        "I could not work for a whole morning waiting for a new password.",
        5,
        "closed",
    ),
    (
        "Send a text message when my ticket is solved",
        "suggestion",
        "portal",
        "category_service_quality",
        "low",
        "I do not always read my e-mail.",
        4,
        "closed",
    ),
    (
        "The technician left my desk in a mess",
        "complaint",
        "walk_in",
        "category_attitude",
        "low",
        "Cables and boxes were left on my desk after the installation.",
        3,
        "reported",
    ),
    (
        "Still no second monitor after three weeks",
        "complaint",
        "email",
        "category_response_time",
        "high",
        "My request was approved weeks ago.",
        2,
        "awaiting_feedback",
    ),
    (
        "E-mail outage: nobody told us anything",
        "complaint",
        "phone",
        "category_service_quality",
        "high",
        "During the outage we had no news for two hours.",
        1,
        "closed_improvement",
    ),
    (
        "Printer on floor 2 jams again",
        "complaint",
        "portal",
        "category_outcome",
        "medium",
        "Third ticket this month for the same printer.",
        0,
        "investigating",
    ),
    (
        "The desk's phone line is always busy",
        "complaint",
        "phone",
        "category_response_time",
        "medium",
        "I tried five times this morning.",
        0,
        "received",
    ),
]


def play_history(env):
    """A year of complaints and suggestions received and handled by the demo users, each step
    taken at its own moment through the ORM (step logs, feedback, escalation, closing), and the
    monthly complaint reviews held with their minutes."""
    Complaint = env["itsm.complaint"]
    if not first_play(env, "complaints"):
        return Complaint.browse()
    ref = env.ref
    receivers = [ref("itsm_helpdesk.demo_agent_anna"), ref("itsm_helpdesk.demo_agent_bruno")]
    handlers = [
        ref("itsm_helpdesk.demo_agent_bruno"),
        ref("base.user_admin"),
        ref("itsm_helpdesk.demo_agent_anna"),
    ]
    customers = [ref(f"base.res_partner_{i}") for i in (1, 2, 3, 4)]
    Partner = env["res.partner"]
    today = fields.Date.context_today(Complaint)
    complaints = Complaint.browse()
    with demo_clock(env, datetime.combine(today - relativedelta(months=12), time(9))) as move_to:
        for index, spec in enumerate(DEMO_COMPLAINTS):
            name, kind, channel, category, severity, description, months, end = spec
            customer = customers[0] if end == "closed_improvement" else customers[index % len(customers)]
            complainant = Partner.search([("parent_id", "=", customer.id)], order="id", limit=1) or customer
            if months:
                day = today.replace(day=4 + index) - relativedelta(months=months)
            else:  # the last few days: still being handled
                day = today - timedelta(days=1 + index % 3)
            received = datetime.combine(day, time(9 + index % 6, 10 * (index % 5)))
            receiver, handler = receivers[index % 2], handlers[index % 3]
            move_to(received)
            complaint = (
                Complaint.with_user(receiver)
                .sudo()
                .create(
                    {
                        "name": name,
                        "kind": kind,
                        "channel": channel,
                        "partner_id": complainant.id,
                        "category_id": ref(f"itsm_complaints.{category}").id,
                        "severity": severity,
                        "description": Markup("<p>%s</p>") % description,
                    }
                )
            )
            play_lifecycle(complaint, end, received, handler, move_to)
            complaints |= complaint
        hold_reviews(env, today, move_to)
    return complaints


def play_lifecycle(complaint, end, received, handler, move_to):
    """Take ``complaint`` as far as ``end``, the handler acting at each step."""
    if end == "received":
        return
    moment = received + timedelta(hours=3)
    move_to(moment)
    mine = complaint.with_user(handler).sudo()
    if end == "rejected":
        mine.write(
            {
                "owner_id": handler.id,
                "rejection_reason": "Not about the IT service: forwarded to accounting.",
            }
        )
        mine.action_reject()
        return
    mine.action_start_investigation()
    if end == "investigating":
        return
    moment += timedelta(days=1, hours=2)
    move_to(moment)
    if end == "withdrawn":
        mine.action_withdraw()
        return
    mine.write(
        {
            "investigation_findings": Markup("<p>%s</p>")
            % "Confirmed with the ticket history and the agent concerned.",
            "response": Markup("<p>%s</p>")
            % "We are sorry. Here is what we changed so that it does not happen again.",
        }
    )
    mine.action_send_response()
    moment += timedelta(days=1)
    move_to(moment)
    mine.action_request_feedback()
    if end == "awaiting_feedback":
        return
    moment += timedelta(days=2, hours=3)
    move_to(moment)
    if end == "escalated":
        # the complainant is not satisfied: the process owner investigates again and answers
        mine._record_feedback("not_satisfied", "Nobody apologised.", author=complaint.partner_id)
        mine = complaint.with_user(complaint.owner_id).sudo()
        moment += timedelta(days=2)
        move_to(moment)
        mine.write({"response": Markup("<p>%s</p>") % "The desk manager called you to apologise."})
        mine.action_send_response()
        moment += timedelta(days=1)
        move_to(moment)
    mine._record_feedback("satisfied", "Thank you for the follow-up.", author=complaint.partner_id)
    moment += timedelta(hours=4)
    move_to(moment)
    mine.write(
        {"report_summary": Markup("<p>%s</p>") % "Cause found and answered; the complainant is satisfied."}
    )
    mine.action_report()
    if end == "reported":
        return
    moment += timedelta(days=1)
    move_to(moment)
    mine.action_close()
    if end == "closed_improvement":
        action = (
            complaint.env["itsm.improvement.action"]
            .with_user(handler)
            .sudo()
            .create(
                {
                    "name": "Post a status update every 30 minutes during a major incident",
                    "owner_id": handler.id,
                    "due_date": fields.Date.context_today(complaint) + timedelta(days=30),
                    "complaint_id": complaint.id,
                    "description": Markup("<p>%s</p>")
                    % "Add the customer update to the major incident checklist.",
                }
            )
        )
        action.action_start()


def hold_reviews(env, today, move_to):
    """Each month's complaint review, created by the job on the 2nd and held on the 5th."""
    Review = env["itsm.complaint.review"]
    attendees = (
        env.ref("base.user_admin")
        | env.ref("itsm_helpdesk.demo_agent_anna")
        | env.ref("itsm_helpdesk.demo_agent_bruno")
    )
    for months in range(11, 0, -1):
        day = (today - relativedelta(months=months)).replace(day=2)
        move_to(datetime.combine(day, time(6)))
        reviews = Review._cron_generate_reviews(today=day)
        move_to(datetime.combine(day + timedelta(days=3), time(10)))
        reviews.write(
            {
                "meeting_date": day + timedelta(days=3),
                "attendee_ids": [(6, 0, attendees.ids)],
                "minutes": Markup("<p>%s</p>")
                % "Complaints of the month read one by one; late steps discussed with the handlers.",
            }
        )
        reviews.action_done()
