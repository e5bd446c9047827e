"""Constants shared by test modules (conftest modules are not importable by name)."""
import os

PASSWORD = "kata-sandi-yang-panjang-42"
MIGRATIONS = os.path.join(os.path.dirname(os.path.dirname(__file__)), "migrations")
