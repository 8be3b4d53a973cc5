from odoo.tests import TransactionCase, tagged

from odoo.addons.itsm_helpdesk.tests.common import TranslationCheckMixin


@tagged("post_install", "-at_install")
class TestTranslations(TranslationCheckMixin, TransactionCase):
    _i18n_module = "itsm_vendor"
    _i18n_min_terms = 100
