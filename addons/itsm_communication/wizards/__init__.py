from . import itsm_agent_figures
