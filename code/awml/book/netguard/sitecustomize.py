"""Loaded by every Python process of an offline build: refuses connections off this machine.

The build puts this folder on PYTHONPATH and names a log file in AWML_NETGUARD_LOG; see
``awml.book.offline_guard``.
"""

import os

if os.environ.get("AWML_NETGUARD_LOG"):
    try:
        from awml.book.offline_guard import install
    except ImportError:
        pass
    else:
        install(os.environ["AWML_NETGUARD_LOG"])
