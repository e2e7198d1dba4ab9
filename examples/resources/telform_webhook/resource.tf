resource "telform_webhook" "example" {
  account_id = telform_account.example.id
  enabled    = true
  url        = "https://hooks.acme.example/telform"
  authentication = {
    enabled  = true
    login    = "telform"
    password = var.webhook_authentication_password
  }
  rights = {
    users          = true
    interaction    = true
    voice_campaign = true
  }
}
