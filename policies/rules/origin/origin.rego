# METADATA
# title: Documented origin
# description: >-
#   A dataset version is released only when its origin, collection method, preparation steps and
#   licence are documented (the required fields are configuration: data.balticai.settings
#   .documentedOrigin.requiredFields), its source type is known, and a licensed source carries
#   licence evidence.
# custom:
#   rule: documented-origin
#   sources:
#     - AI Act Art. 10(2)(b)(c)
#     - AI Act Annex IV 2(d)
#     - AI Act Annex XI 1.2(c)
package balticai.rules.origin

import data.balticai.lib

_rule := "documented-origin"

_source := "AI Act Art. 10(2)(b)(c); Annex IV 2(d); Annex XI 1.2(c)"

# METADATA
# title: Undocumented dataset versions
# description: One reason per missing or unknown origin fact.
deny contains {"rule": _rule, "message": msg, "source": _source} if {
	some path in lib.settings.documentedOrigin.requiredFields
	not lib.present(lib.dataset_get(path))
	msg := sprintf("dataset %s does not document %s", [lib.dataset_id, concat(".", path)])
}

deny contains {"rule": _rule, "message": msg, "source": _source} if {
	source_type := lib.dataset_get(["origin", "sourceType"])
	lib.present(source_type)
	not source_type in lib.settings.sourceTypes
	msg := sprintf("dataset %s has unknown source type %v", [lib.dataset_id, source_type])
}

deny contains {"rule": _rule, "message": msg, "source": _source} if {
	lib.dataset_get(["origin", "sourceType"]) == "licensed"
	not lib.present(lib.dataset_get(["origin", "licenceEvidence"]))
	not lib.has_evidence("publisherLicence")
	msg := sprintf("dataset %s is licensed content without licence evidence", [lib.dataset_id])
}
