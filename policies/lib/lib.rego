# METADATA
# title: Shared helpers
# description: >-
#   Accessors over the policy input and the data documents under data.balticai, used by every rule
#   family. Missing values are read as null so that rules fail closed instead of becoming undefined.
package balticai.lib

# present(x) holds for a value that carries information: not null, false, "", [], {} or an empty set.
present(x) if {
	x != null
	x != false
	x != ""
	x != []
	x != {}
	x != set()
}

dataset := object.get(input, "dataset", {})

job := object.get(input, "job", {})

site := object.get(input, "site", {})

# dataset_get(path) reads input.dataset at path, null when absent.
dataset_get(path) := object.get(dataset, path, null)

dataset_id := sprintf("%v@%v", [dataset_get("id"), dataset_get("version")])

evidence(name) := object.get(dataset, ["terms", "evidence", name], null)

has_evidence(name) if present(evidence(name))

# Data documents are referenced by their full path: reading data.balticai as a whole would
# include the rule packages themselves and make the policy recursive.
settings := data.balticai.settings

# Countries

eu := {c | some c in data.balticai.countries.eu}

eea := eu | {c | some c in data.balticai.countries.eeaOutsideEu}

nato := {c | some c in data.balticai.countries.nato}

# Job

default commercial_job := false

commercial_job if job.commercial == true

# A job that does not say whether it is commercial is not taken for a non-commercial one.
commercial_job if not is_boolean(object.get(job, "commercial", null))

commercial_job if job.purpose in object.get(settings, "commercialPurposes", [])

default research_job := false

research_job if {
	not commercial_job
	job.purpose in object.get(settings, "researchPurposes", [])
}

site_accredited(name) if name in object.get(site, "accreditations", [])

# Personal data

default personal_data := false

personal_data if dataset_get(["personalData", "contains"]) == true

# Electronic health data about people (sector.health) are data concerning health, a special category
# (GDPR Arts. 4(15), 9(1)), whether or not the owner also listed the category.
special_categories := {c | some c in object.get(dataset, ["personalData", "specialCategories"], [])} | _health_category

_health_category := {"health"} if {
	personal_data
	dataset_get(["sector", "health"]) == true
} else := set()

pseudonymisation := dataset_get(["personalData", "pseudonymisation"])

# Licensing

licence_id := dataset_get(["licensing", "licence"])

licence_terms := data.balticai.licences[licence_id]

restrictions := {lower(r) | some r in object.get(dataset, ["licensing", "restrictions"], []); is_string(r)}

default research_only := false

research_only if "research-only" in restrictions

research_only if licence_terms.researchOnly == true

# Content gathered under the text-and-data-mining research exception (DSM Art. 3, Polish Art. 26^2)
# may be used for research only, whatever licence the owner states for the dataset.
research_only if dataset_get(["licensing", "copyrightBasis"]) == "tdm-research-exception"

default non_commercial := false

non_commercial if "nc" in restrictions

non_commercial if licence_terms.commercialUse == false

non_commercial if research_only

default commercial_use_excluded := false

commercial_use_excluded if non_commercial

default no_derivatives := false

no_derivatives if "nd" in restrictions

no_derivatives if licence_terms.derivatives == false

default share_alike := false

share_alike if "share-alike" in restrictions

share_alike if licence_terms.shareAlike == true

# Time: the decision time is input.time (RFC 3339); undefined when absent or invalid.
now_ns := time.parse_rfc3339_ns(input.time) if is_string(input.time)
