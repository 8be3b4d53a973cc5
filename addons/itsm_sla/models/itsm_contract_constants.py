CONTRACT_STATES = [
    ("draft", "Draft"),
    ("trial", "Trial"),
    ("active", "Active"),
    ("expired", "Expired"),
    ("terminated", "Terminated"),
]
AGREEMENT_KINDS = [
    ("customer", "Service Level Agreement"),
    ("ola", "Operational Level Agreement"),
]
