from odoo.exceptions import AccessError, UserError
from odoo.tests import tagged
from odoo.tools import mute_logger

from .access_policy import POLICY, Complaint, Ticket
from .common import CORE_MODELS, SuiteFixture, suite_models, unchanged_values

MUTE = ("odoo.addons.base.models.ir_rule", "odoo.addons.base.models.ir_model", "odoo.models")
# what a document link says in a rule that restricts nothing: the sub-domain runs as superuser
EMPTY_ANY = ("'any', []", '"any", []', "'any', [(1, '=', 1)]")


class _Done(Exception):
    pass


@tagged("post_install", "-at_install")
class TestAccessMatrix(SuiteFixture):
    """For every model of the suite (read from the registry) and the core models its records show
    through, and for every role: what comes back through search, read, read_group, name_search and
    export_data is within the role's policy, and writes and deletes outside it fail."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.models = suite_models(cls.env) + list(CORE_MODELS)
        tickets = cls.tickets_1 | cls.ticket_2 | cls.ticket_sla_2
        cls.universe = {}
        for name in cls.models:
            Model = cls.env[name].sudo().with_context(active_test=False)
            if Model._auto:
                domain = [("id", ">", cls.watermark[name])]
            elif "ticket_id" in Model._fields:
                domain = [("ticket_id", "in", tickets.ids)]
            else:
                domain = []
            cls.universe[name] = Model.search(domain)
        cls._allowed = {}

    def allowed_records(self, model, role):
        """The records of the fixture ``role`` may read (as superuser records), from the policy."""
        key = (model, id(role))
        if key not in self._allowed:
            self._allowed[key] = POLICY[model].allowed(self, role, self.universe[model])
        return self._allowed[key]

    # the structure: every model has a policy and rules, no rule restricts nothing ----------------

    def test_every_suite_model_has_a_policy(self):
        missing = [name for name in self.models if name not in POLICY]
        self.assertFalse(
            missing, f"models of the suite without an access policy (and maybe rules): {missing}"
        )
        self.assertIn("itsm.sla.report", self.models, "SQL report models are part of the matrix")

    def test_every_suite_model_has_company_rules(self):
        Rule = self.env["ir.rule"].sudo()
        for name in self.models:
            policy = POLICY.get(name)
            if policy is None or not policy.rules_required:
                continue
            with self.subTest(model=name):
                rules = Rule.search([("model_id.model", "=", name)])
                self.assertTrue(rules, f"{name} has no record rule")
                company_rules = rules.filtered(lambda r: r["global"] and "company_ids" in r.domain_force)
                self.assertTrue(company_rules, f"{name} has no company rule")

    def test_shared_models_hold_nothing_confidential(self):
        for name in self.models:
            if POLICY.get(name) is None or POLICY[name].rules_required or name in CORE_MODELS:
                continue
            with self.subTest(model=name):
                fields = self.env[name]._fields
                self.assertNotIn("company_id", fields, f"{name} belongs to a company: it needs rules")
                linked = {
                    field.comodel_name
                    for field in fields.values()
                    if field.type == "many2one"
                    and isinstance(POLICY.get(field.comodel_name), (Ticket, Complaint))
                }
                self.assertFalse(
                    linked,
                    f"{name} points to records with rules: it needs rules of its own",
                )

    def test_no_rule_restricts_nothing(self):
        rules = self.env["ir.rule"].sudo().search([("model_id.model", "in", self.models)])
        for rule in rules:
            with self.subTest(rule=rule.name):
                domain = " ".join((rule.domain_force or "").split())
                self.assertFalse(
                    any(pattern in domain for pattern in EMPTY_ANY),
                    "a sub-domain on a relation is evaluated as superuser: repeat the parent's conditions",
                )

    # the matrix ----------------------------------------------------------------------------------

    def _try(self, default, call, *args, **kwargs):
        try:
            return call(*args, **kwargs)
        except AccessError:
            return default

    def _check(self, name, role_name, role):
        user = role["user"]
        universe = self.universe[name]
        allowed = self.allowed_records(name, role)
        forbidden = universe - allowed
        Model = self.env[name].with_user(user).with_context(active_test=False)
        domain = [("id", "in", universe.ids)]
        where = f"{role_name} on {name}"

        found = self._try(Model.browse(), Model.search, domain)
        leaked = set(found.ids) - set(allowed.ids)
        self.assertFalse(leaked, f"{where}: search returns {sorted(leaked)}")

        groups = self._try([], Model.read_group, domain, ["__count"], [])
        count = groups[0]["__count"] if groups else 0
        self.assertLessEqual(count, len(allowed), f"{where}: read_group counts unreadable records")

        if Model._rec_name or Model._rec_names_search:
            named = self._try([], Model.name_search, "", domain, limit=None)
            leaked = {record_id for record_id, _name in named} - set(allowed.ids)
            self.assertFalse(leaked, f"{where}: name_search returns {sorted(leaked)}")

        for record in forbidden:
            with self.assertRaises(AccessError, msg=f"{where}: reads record {record.id}"):
                record.with_user(user).read(["display_name"])
        if forbidden:
            # an AccessError is a UserError: either refuses the export
            with self.assertRaises(UserError, msg=f"{where}: exports unreadable records {forbidden.ids}"):
                forbidden.with_user(user).export_data(["display_name"])

        for record in universe - POLICY[name].writable(self, role, universe):
            record = record.with_user(user)
            values = unchanged_values(record)
            self.assertFalse(self._succeeds(record.write, values), f"{where}: may write record {record.id}")
            self.assertFalse(self._succeeds(record.unlink), f"{where}: may delete record {record.id}")

    def _succeeds(self, call, *args):
        """Whether ``call`` passes the access checks; whatever it did is rolled back."""
        try:
            with self.env.cr.savepoint():
                call(*args)
                raise _Done()
        except AccessError:
            return False
        except _Done:
            return True

    @mute_logger(*MUTE)
    def test_matrix(self):
        self.assertTrue(self.universe["itsm.ticket.sla"], "the fixture runs SLA clocks")
        self.assertTrue(self.universe["itsm.sla.report"], "the fixture has SLA analysis rows")
        for name in self.models:
            if name not in POLICY:
                continue  # reported by test_every_suite_model_has_a_policy
            for role_name, role in self.roles.items():
                with self.subTest(model=name, role=role_name):
                    self._check(name, role_name, role)

    @mute_logger(*MUTE)
    def test_roles_see_what_they_need(self):
        """The matrix is not empty by construction: each role reads what its policy promises."""
        for role_name, role in self.roles.items():
            with self.subTest(role=role_name):
                Ticket = self.env["itsm.ticket"].with_user(role["user"])
                visible = self._try(Ticket, Ticket.search, [("id", "in", self.universe["itsm.ticket"].ids)])
                self.assertEqual(sorted(visible.ids), sorted(role["tickets"].ids))
                Complaint = self.env["itsm.complaint"].with_user(role["user"])
                domain = [("id", "in", self.universe["itsm.complaint"].ids)]
                visible = self._try(Complaint, Complaint.search, domain)
                self.assertEqual(sorted(visible.ids), sorted(role["complaints"].ids))
