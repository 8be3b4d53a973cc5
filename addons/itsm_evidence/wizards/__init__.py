from . import itsm_evidence_export_wizard
