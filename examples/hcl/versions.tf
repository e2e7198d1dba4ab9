terraform {
  required_version = ">= 1.11" # write-only arguments (webhook passwords)

  required_providers {
    telform = {
      source  = "telform/telform"
      version = "~> 0.1"
    }
  }
}

# Endpoint and token come from TELFORM_ENDPOINT and TELFORM_TOKEN. One provider configuration
# serves every customer: each resource names its account_id.
provider "telform" {}
