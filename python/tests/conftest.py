import sys
from pathlib import Path

# helpers.py and tools/gen-tenants.py are imported by the tests.
sys.path.insert(0, str(Path(__file__).resolve().parent))
