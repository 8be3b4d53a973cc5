import os

from odoo.tests import TransactionCase, tagged
from odoo.tools import file_path
from odoo.tools.translate import PoFileReader, TranslationModuleReader

MODULE = "itsm_helpdesk"


@tagged("post_install", "-at_install")
class TestTranslations(TransactionCase):
    """Every term of the module is in its .pot and translated in Simplified Chinese."""

    def _po_terms(self, lang):
        path = file_path(os.path.join(MODULE, "i18n", f"{lang}.po" if lang else f"{MODULE}.pot"))
        with open(path, "rb") as po:
            return {entry["src"]: entry["value"] for entry in PoFileReader(po)}

    def test_zh_cn_complete(self):
        module_terms = {term[4] for term in TranslationModuleReader(self.env.cr, modules=[MODULE]) if term[4]}
        self.assertGreater(len(module_terms), 100)
        pot = self._po_terms(None)
        missing_in_pot = sorted(module_terms - set(pot))
        self.assertFalse(missing_in_pot, f"terms missing from {MODULE}.pot: {missing_in_pot[:20]}")
        zh = self._po_terms("zh_CN")
        untranslated = sorted(term for term in module_terms if not zh.get(term))
        self.assertFalse(untranslated, f"terms untranslated in zh_CN.po: {untranslated[:20]}")
