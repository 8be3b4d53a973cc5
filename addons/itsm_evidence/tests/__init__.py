from . import test_evidence_export
from . import test_i18n
