import os

from odoo import Command
from odoo.tests import TransactionCase, new_test_user
from odoo.tools import file_path
from odoo.tools.translate import PoFileReader, TranslationModuleReader


class ItsmCommon(TransactionCase):
    """Teams on three lines, agents of each group, two customers with portal users."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.env = cls.env(context=dict(cls.env.context, tracking_disable=False, mail_notrack=False))
        cls.company = cls.env.company
        cls.agent_1 = new_test_user(
            cls.env,
            "itsm_agent_1",
            groups="itsm_helpdesk.group_itsm_agent",
            name="Alice Line1",
            email="alice@desk.example.com",
        )
        cls.agent_2 = new_test_user(
            cls.env,
            "itsm_agent_2",
            groups="itsm_helpdesk.group_itsm_agent",
            name="Bob Line1",
            email="bob@desk.example.com",
        )
        cls.agent_3 = new_test_user(
            cls.env,
            "itsm_agent_3",
            groups="itsm_helpdesk.group_itsm_agent",
            name="Carol Line1",
            email="carol@desk.example.com",
        )
        cls.expert = new_test_user(
            cls.env,
            "itsm_expert",
            groups="itsm_helpdesk.group_itsm_agent_expert",
            name="Dan Expert",
            email="dan@desk.example.com",
        )
        cls.manager = new_test_user(
            cls.env,
            "itsm_manager",
            groups="itsm_helpdesk.group_itsm_manager",
            name="Erin Manager",
            email="erin@desk.example.com",
        )
        cls.employee = new_test_user(
            cls.env,
            "itsm_employee",
            groups="base.group_user",
            name="Frank Employee",
            email="frank@example.com",
        )
        cls.team_desk = cls.env["itsm.team"].create(
            {
                "name": "Desk",
                "support_line": "1",
                "member_ids": [Command.set([cls.agent_1.id, cls.agent_2.id, cls.agent_3.id])],
                "assignment_method": "manual",
            }
        )
        cls.team_field = cls.env["itsm.team"].create(
            {
                "name": "Field",
                "support_line": "2",
                "member_ids": [Command.set([cls.expert.id])],
            }
        )
        cls.team_experts = cls.env["itsm.team"].create(
            {
                "name": "Experts",
                "support_line": "3",
                "visibility": "members",
                "member_ids": [Command.set([cls.expert.id])],
            }
        )
        cls.customer_a = cls.env["res.partner"].create({"name": "Customer A", "is_company": True})
        cls.customer_b = cls.env["res.partner"].create({"name": "Customer B", "is_company": True})
        cls.portal_a = new_test_user(
            cls.env, "itsm_portal_a", groups="base.group_portal", name="Paula A", email="paula@a.example.com"
        )
        cls.portal_a.partner_id.parent_id = cls.customer_a
        cls.portal_a2 = new_test_user(
            cls.env,
            "itsm_portal_a2",
            groups="base.group_portal",
            name="Pierre A",
            email="pierre@a.example.com",
        )
        cls.portal_a2.partner_id.parent_id = cls.customer_a
        cls.portal_b = new_test_user(
            cls.env,
            "itsm_portal_b",
            groups="base.group_portal",
            name="Quentin B",
            email="quentin@b.example.com",
        )
        cls.portal_b.partner_id.parent_id = cls.customer_b
        cls.stage_new = cls.env.ref("itsm_helpdesk.stage_new")
        cls.stage_progress = cls.env.ref("itsm_helpdesk.stage_in_progress")
        cls.stage_waiting = cls.env.ref("itsm_helpdesk.stage_waiting_customer")
        cls.stage_solved = cls.env.ref("itsm_helpdesk.stage_solved")

    @classmethod
    def _ticket(cls, **values):
        vals = {
            "name": "Printer does not print",
            "partner_id": cls.portal_a.partner_id.id,
            "team_id": cls.team_desk.id,
        }
        vals.update(values)
        return cls.env["itsm.ticket"].create(vals)

    def _flush_tracking(self):
        """Run what Odoo runs at commit: tracking messages and stage templates."""
        self.env.flush_all()
        self.env.cr.precommit.run()

    @classmethod
    def _without_alias_domain(cls):
        """Take the alias domain (the demo's) off the companies and aliases, for pinned query counts.

        With an alias domain, Odoo reads its record once more per message posted; the counts pin
        the suite's own queries, measured without one, so they do not depend on the database.
        """
        cls.env["res.company"].sudo().search([]).alias_domain_id = False
        cls.env["mail.alias"].sudo().search([("alias_domain_id", "!=", False)]).alias_domain_id = False


# Terms that read the same in Chinese: abbreviations and the expressions of mail templates and
# reports. The translation files keep OCA's layout (make lint), which leaves such a term's msgstr
# empty rather than equal to its msgid; Odoo then shows the source text, as intended.
ZH_CN_SAME_AS_SOURCE = frozenset(
    {
        '<option value="">-</option>',
        "API",
        "ERP",
        "ID",
        "PDF",
        "SLA",
        "VIP",
        "XLSX",
        "[%(event)s] %(customer)s",
        "[{{ object.number }}] {{ object.name }}",
        "object._get_report_base_filename()",
        "object.name",
        "{{ object.name }}",
    }
)


class TranslationCheckMixin:
    """Asserts that every term of ``_i18n_module`` is in its .pot and translated in zh_CN.

    A term of ``ZH_CN_SAME_AS_SOURCE`` counts as translated when zh_CN.po has it, msgstr empty.
    """

    _i18n_module = None
    _i18n_min_terms = 1

    def _po_terms(self, filename):
        with open(file_path(os.path.join(self._i18n_module, "i18n", filename)), "rb") as po:
            return {entry["src"]: entry["value"] for entry in PoFileReader(po)}

    def test_zh_cn_complete(self):
        module_terms = {
            term[4] for term in TranslationModuleReader(self.env.cr, modules=[self._i18n_module]) if term[4]
        }
        self.assertGreaterEqual(len(module_terms), self._i18n_min_terms)
        pot = self._po_terms(f"{self._i18n_module}.pot")
        missing_in_pot = sorted(module_terms - set(pot))
        self.assertFalse(missing_in_pot, f"terms missing from {self._i18n_module}.pot: {missing_in_pot[:20]}")
        zh = self._po_terms("zh_CN.po")
        untranslated = sorted(
            term
            for term in module_terms
            if not zh.get(term) and not (term in zh and term in ZH_CN_SAME_AS_SOURCE)
        )
        self.assertFalse(untranslated, f"terms untranslated in zh_CN.po: {untranslated[:20]}")
