"""The complaint register of each service unit (SP4N-LAPOR! and walk-ins) and its clock."""
