# METADATA
# title: Research-only data
# description: >-
#   Data under the research exceptions (licensing.restrictions contains research-only, or licence
#   terms with researchOnly) go only to non-commercial research jobs, and every model trained on them
#   inherits a non-commercial flag. A base model whose licence terms are researchOnly is research-only
#   input too: only a non-commercial research job may fine-tune it.
# custom:
#   rule: research-only
#   sources:
#     - DSM Directive Art. 3
#     - Polish copyright law Art. 26^2
package balticai.rules.research_only

import data.balticai.lib

_rule := "research-only"

_source := "DSM Directive Art. 3; Polish copyright law Art. 26^2"

# METADATA
# title: Research-only data outside non-commercial research
# description: A reason when a research-only dataset meets a commercial or non-research job.
deny contains {"rule": _rule, "message": msg, "source": _source} if {
	lib.research_only
	lib.commercial_job
	msg := sprintf("dataset %s is research-only and job %v is commercial", [lib.dataset_id, object.get(lib.job, "id", null)])
}

deny contains {"rule": _rule, "message": msg, "source": _source} if {
	lib.research_only
	not lib.commercial_job
	not lib.research_job
	msg := sprintf("dataset %s is research-only and the job purpose %v is not research", [lib.dataset_id, object.get(lib.job, "purpose", null)])
}

_base_model_name := object.get(lib.job, ["baseModel", "name"], null)

_base_model_licence := object.get(lib.job, ["baseModel", "licence"], null)

deny contains {"rule": _rule, "message": msg, "source": _source} if {
	data.balticai.licences[_base_model_licence].researchOnly == true
	not lib.research_job
	msg := sprintf("the base model %v is research-only (licence %v) and job %v is not a non-commercial research job", [_base_model_name, _base_model_licence, object.get(lib.job, "id", null)])
}

# METADATA
# title: Non-commercial flag on models
# description: Every model trained on research-only data inherits a non-commercial flag.
obligations contains {"type": "model-inherits-non-commercial", "dataset": lib.dataset_id} if {
	lib.research_only
}
