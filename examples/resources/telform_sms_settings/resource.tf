resource "telform_sms_settings" "example" {
  account_id   = telform_account.example.id
  provider_url = "https://sms.provider.example/api/v1/send"
  authentication = {
    enabled  = true
    login    = "acme"
    password = var.sms_settings_authentication_password
  }
}
