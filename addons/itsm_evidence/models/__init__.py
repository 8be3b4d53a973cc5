from . import res_company
from . import itsm_evidence_export
