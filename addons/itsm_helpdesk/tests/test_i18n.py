from odoo.tests import TransactionCase, tagged

from .common import TranslationCheckMixin


@tagged("post_install", "-at_install")
class TestTranslations(TranslationCheckMixin, TransactionCase):
    _i18n_module = "itsm_helpdesk"
    _i18n_min_terms = 300
