from datetime import timedelta

from psycopg2.errors import SerializationFailure

from odoo import Command, fields
from odoo.tests import tagged

from odoo.addons.itsm_helpdesk.tests.concurrency import TwoNodesCase, committed_env, run_concurrently


@tagged("post_install", "-at_install")
class TestAnnouncementJobsOnTwoNodes(TwoNodesCase):
    """Announcements closed or published by two nodes at the same moment: each effect once."""

    def test_each_announcement_closed_once(self):
        def build(env):
            now = fields.Datetime.now()
            # published and sent earlier, ended an hour ago
            announcements = env["itsm.announcement"].create(
                [
                    {
                        "name": f"Ended notice {i}",
                        "kind": "fault",
                        "state": "published",
                        "sent_at": now - timedelta(days=2),
                        "start_at": now - timedelta(days=2),
                        "end_at": now - timedelta(hours=1),
                    }
                    for i in range(10)
                ]
            )
            return {"announcements": announcements.ids}

        def cleanup(env, ids):
            env["itsm.announcement"].browse(ids["announcements"]).unlink()

        ids = self._commit(build, cleanup)
        results = self._run_twice(lambda env: env["itsm.announcement"]._cron_close_expired())
        self.assertEqual(sum(results), 10, "each announcement closed by exactly one run")
        with committed_env(self.env.cr.dbname) as env:
            announcements = env["itsm.announcement"].browse(ids["announcements"])
            self.assertEqual(set(announcements.mapped("state")), {"closed"})
            env.cr.execute(
                "SELECT count(*), count(DISTINCT m.res_id) FROM mail_tracking_value v"
                " JOIN mail_message m ON m.id = v.mail_message_id"
                " JOIN ir_model_fields f ON f.id = v.field_id"
                " WHERE m.model = 'itsm.announcement' AND m.res_id = ANY(%s) AND f.name = 'state'"
                " AND v.new_value_char = 'Closed'",
                [announcements.ids],
            )
            self.assertEqual(env.cr.fetchone(), (10, 10), "the closing is logged once per announcement")

    def test_announcement_published_twice_at_once_emails_once(self):
        """Not a job but the same race: two managers (or a double click on two nodes) publish at once.

        The second publication waits for the first and fails on a serialization error, which
        Odoo's request handling retries; the retry finds the announcement sent.
        """

        def build(env):
            customer = env["res.partner"].create({"name": "Announced Ltd", "is_company": True})
            contacts = env["res.partner"].create(
                [
                    {
                        "name": f"Reader {i}",
                        "parent_id": customer.id,
                        "email": f"reader{i}@announced.example.com",
                    }
                    for i in range(3)
                ]
            )
            ticket = env["itsm.ticket"].create({"name": "Mail is slow", "partner_id": contacts[0].id})
            announcement = env["itsm.announcement"].create(
                {"name": "Mail outage", "kind": "fault", "partner_ids": [Command.set(customer.ids)]}
            )
            return {
                "partners": (contacts | customer).ids,
                "ticket": ticket.id,
                "announcement": announcement.id,
            }

        def cleanup(env, ids):
            env["itsm.announcement"].browse(ids["announcement"]).unlink()
            env["itsm.ticket"].browse(ids["ticket"]).unlink()
            env["res.partner"].browse(ids["partners"]).unlink()

        ids = self._commit(build, cleanup)

        def publish(env):
            return env["itsm.announcement"].browse(ids["announcement"]).action_publish()

        _results, errors = run_concurrently(self.env.cr.dbname, publish)
        self.assertTrue(
            all(isinstance(error, SerializationFailure) for error in errors), "only errors Odoo retries"
        )
        for _retry in errors:
            with committed_env(self.env.cr.dbname) as env:
                publish(env)
        with committed_env(self.env.cr.dbname) as env:
            mails = env["mail.mail"].search(
                [("model", "=", "itsm.announcement"), ("res_id", "=", ids["announcement"])]
            )
            self.assertEqual(len(mails.recipient_ids), 3, "each contact e-mailed")
            self.assertEqual(len(mails), 1, "once")
            notes = env["mail.message"].search(
                [("model", "=", "itsm.ticket"), ("res_id", "=", ids["ticket"]), ("body", "ilike", "informed")]
            )
            self.assertEqual(len(notes), 1, "the ticket says once that its requester was informed")
