"""Open Referral HSDS 3.x JSON import (``importer``) and export (``exporter``). The file shape
is described in ``format``; ``linejson`` decodes JSON keeping line numbers; ``reader`` checks a
whole file into the plain ``records``."""
