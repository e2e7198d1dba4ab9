resource "telform_device" "example" {
  account_id         = telform_account.example.id
  mac_address        = "80:5e:c0:12:34:56"
  model              = "yealink-t54w"
  name               = "Reception desk"
  location_id        = telform_location.example.id
  button_template_id = telform_button_template.example.id
}
