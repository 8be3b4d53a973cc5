import random
from datetime import timedelta

from odoo import api, fields, models

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


class ItsmTicket(models.Model):
    _inherit = "itsm.ticket"

    @api.model
    def _demo_generate_tickets(self, count=100, seed=2026):
        """Demo data: tickets spread over the last 90 days across kinds, stages and lines."""
        rnd = random.Random(seed)
        ref = self.env.ref
        desk, field_team, experts = (
            ref("itsm_helpdesk.demo_team_desk"),
            ref("itsm_helpdesk.demo_team_field"),
            ref("itsm_helpdesk.demo_team_network"),
        )
        services = self.env["itsm.service"].search([("is_published", "=", True)])
        customers = self.env["res.partner"].search(
            [
                (
                    "parent_id",
                    "in",
                    [
                        ref("base.res_partner_1").id,
                        ref("base.res_partner_2").id,
                        ref("base.res_partner_3").id,
                        ref("base.res_partner_4").id,
                    ],
                ),
            ]
        )
        kinds = ["incident"] * 6 + ["service_request"] * 3 + ["change_request", "question"]
        channels = ["portal", "email", "email", "phone", "walk_in", "monitoring"]
        vals_list = []
        for _i in range(count):
            kind = rnd.choice(kinds)
            vals_list.append(
                {
                    "name": rnd.choice(DEMO_SUBJECTS[kind]),
                    "kind": kind,
                    "team_id": desk.id,
                    "partner_id": rnd.choice(customers).id,
                    "service_id": rnd.choice(services).id,
                    # P1 incidents would be major incidents: the demo has one, made on purpose below
                    "impact": rnd.choice("23"),
                    "urgency": rnd.choice("123"),
                    "channel": rnd.choice(channels),
                    "description": "<p>Reported by the user; see the conversation below.</p>",
                }
            )
        tickets = self.with_context(mail_notrack=True, mail_create_nolog=True).create(vals_list)
        solved = ref("itsm_helpdesk.stage_solved")
        in_progress = ref("itsm_helpdesk.stage_in_progress")
        waiting = ref("itsm_helpdesk.stage_waiting_customer")
        to_field = tickets.filtered(lambda t: rnd.random() < 0.2)
        to_field.with_context(itsm_transfer_reason="Needs an on-site intervention").write(
            {"team_id": field_team.id}
        )
        to_experts = to_field.filtered(lambda t: rnd.random() < 0.3)
        to_experts.with_context(itsm_transfer_reason="Root cause in the network core").write(
            {"team_id": experts.id}
        )
        roll = {ticket.id: rnd.random() for ticket in tickets}
        tickets.filtered(lambda t: roll[t.id] < 0.6).write({"stage_id": solved.id})
        tickets.filtered(lambda t: 0.6 <= roll[t.id] < 0.8).write({"stage_id": in_progress.id})
        tickets.filtered(lambda t: 0.8 <= roll[t.id] < 0.9).write({"stage_id": waiting.id})
        self.env.flush_all()
        now = fields.Datetime.now()
        rows = []
        for ticket in tickets:
            created = now - timedelta(days=rnd.uniform(0, 90), minutes=rnd.randint(0, 600))
            rows.append(
                (
                    created,
                    created,
                    created + timedelta(minutes=rnd.randint(2, 90)),
                    created + timedelta(hours=rnd.uniform(1, 30)) if ticket.first_line2_at else None,
                    created + timedelta(hours=rnd.uniform(2, 120)) if ticket.closed_at else None,
                    ticket.id,
                )
            )
        self.env.cr.executemany(
            """UPDATE itsm_ticket
                  SET create_date = %s, opened_at = %s, assigned_at = %s, first_line2_at = %s, closed_at = %s
                WHERE id = %s""",
            rows,
        )
        self.env.cr.execute(
            """UPDATE itsm_ticket
                  SET line2_delay_hours = EXTRACT(EPOCH FROM (first_line2_at - opened_at)) / 3600
                WHERE id = ANY(%s) AND first_line2_at IS NOT NULL""",
            [tickets.ids],
        )
        self.env.cr.execute(
            """UPDATE itsm_ticket_escalation e SET create_date = t.first_line2_at
                 FROM itsm_ticket t WHERE e.ticket_id = t.id AND t.id = ANY(%s)""",
            [tickets.ids],
        )
        tickets.invalidate_recordset()
        self._demo_problem_and_major_incident(tickets)
        return True

    @api.model
    def _demo_problem_and_major_incident(self, tickets):
        """A known error behind the VPN incidents, and a major incident with its review."""
        vpn = self.env.ref("itsm_helpdesk.demo_service_network")
        vpn_incidents = tickets.filtered(lambda t: t.kind == "incident" and t.service_id == vpn)[:4]
        problem = self.env["itsm.problem"].create(
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
        major = self.create(
            {
                "name": "E-mail down for the whole company",
                "kind": "incident",
                "team_id": self.env.ref("itsm_helpdesk.demo_team_desk").id,
                "service_id": self.env.ref("itsm_helpdesk.demo_service_email").id,
                "impact": "1",
                "urgency": "1",
                "affected_user_count": 240,
                "channel": "monitoring",
                "description": "<p>No mailbox reachable since 08:10.</p>",
            }
        )
        self.env["itsm.major.incident.review"].create(
            {
                "ticket_id": major.id,
                "timeline": "<p>08:10 alert, 08:15 declared major, 09:40 certificate renewed, "
                "09:50 service back.</p>",
                "root_cause": "The mail gateway's TLS certificate expired.",
                "actions": "<p>Monitor certificate expiry 30 days ahead.</p>",
            }
        )
