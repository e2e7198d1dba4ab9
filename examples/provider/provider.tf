terraform {
  required_providers {
    telform = {
      source = "telform/telform"
    }
  }
}

# endpoint and token default to TELFORM_ENDPOINT and TELFORM_TOKEN.
provider "telform" {
  endpoint = "http://127.0.0.1:7420"
  token    = var.telform_token
}
