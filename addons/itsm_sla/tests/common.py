from datetime import datetime

from odoo import Command

from odoo.addons.itsm_helpdesk.tests.common import ItsmCommon

FRIDAY_1730 = datetime(2025, 1, 3, 17, 30)  # Friday
MONDAY_0900 = datetime(2025, 1, 6, 9, 0)


class SlaCommon(ItsmCommon):
    """A Monday-Friday 09:00-18:00 calendar (UTC) and an active contract for customer A."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.calendar = cls._calendar("Office hours", "UTC")
        cls.contract = cls._contract(
            "Gold A",
            cls.customer_a,
            targets=[("response", False, 2.0), ("resolution", "3", 8.0), ("resolution", "2", 4.0)],
        )

    @classmethod
    def _calendar(cls, name, tz, hours=None):
        hours = hours or dict.fromkeys(range(5), (9.0, 18.0))
        return cls.env["resource.calendar"].create(
            {
                "name": name,
                "tz": tz,
                "attendance_ids": [Command.clear()]
                + [
                    Command.create(
                        {
                            "name": f"Day {day}",
                            "dayofweek": str(day),
                            "hour_from": start,
                            "hour_to": stop,
                            "day_period": "morning",
                        }
                    )
                    for day, (start, stop) in hours.items()
                ],
            }
        )

    @classmethod
    def _contract(cls, name, partner, targets, state="active", thresholds=(), **values):
        vals = {
            "name": name,
            "partner_id": partner.id if partner else False,
            "calendar_id": cls.calendar.id,
            "date_start": "2024-01-01",
            "target_ids": [
                Command.create({"metric": metric, "priority": priority, "target_hours": hours})
                for metric, priority, hours in targets
            ],
            "threshold_ids": [
                Command.create({"percent": pct, "action": action, "apply_in_trial": in_trial})
                for pct, action, in_trial in thresholds
            ],
        }
        vals.update(values)
        contract = cls.env["itsm.sla.contract"].create(vals)
        contract.state = state
        return contract

    @classmethod
    def _holiday(cls, name, day):
        """A public holiday of the test calendar over the whole of ``day`` (a datetime at 00:00, UTC)."""
        return cls.env["resource.calendar.leaves"].create(
            {
                "name": name,
                "calendar_id": cls.calendar.id,
                "date_from": day,
                "date_to": day.replace(hour=23, minute=59, second=59),
            }
        )

    @staticmethod
    def _line(ticket, metric):
        return ticket.sla_line_ids.filtered(lambda ln: ln.metric == metric)
