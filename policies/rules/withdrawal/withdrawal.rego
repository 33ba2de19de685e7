# METADATA
# title: Erasure, objection and withdrawal
# description: >-
#   Only an active dataset version is released. A withdrawn or restricted version (after a
#   withdrawal, an erasure request or an objection) is denied, and so is any version derived from
#   one (derivedFrom lists each ancestor version the asked one came from, with its status as the ledger
#   knows it: a version withdrawn alone is withdrawn; an ancestor without a status is not known to be active).
# custom:
#   rule: withdrawn-dataset
#   sources:
#     - GDPR Arts. 17, 21
#     - EDPB Opinion 28/2024
package balticai.rules.withdrawal

import data.balticai.lib

_rule := "withdrawn-dataset"

_source := "GDPR Arts. 17, 21; EDPB Opinion 28/2024"

_status := lib.dataset_get("status")

# METADATA
# title: Inactive datasets and their derivatives
# description: A reason for an inactive version and one per inactive ancestor.
deny contains {"rule": _rule, "message": msg, "source": _source} if {
	not _status in lib.settings.activeStatuses
	msg := sprintf("dataset %s has status %v and is not released", [lib.dataset_id, _status])
}

deny contains {"rule": _rule, "message": msg, "source": _source} if {
	some parent in object.get(lib.dataset, "derivedFrom", [])
	status := object.get(parent, "status", null)
	not status in lib.settings.activeStatuses
	msg := sprintf("dataset %s derives from %v@%v, which has status %v", [lib.dataset_id, object.get(parent, "id", null), object.get(parent, "version", null), status])
}
