resource "telform_customization" "example" {
  account_id = telform_account.example.id
  hostname   = "support.acme.example"
  theme      = "dark"
  language   = "fr"
  logo = {
    file_name      = "acme logo (small).png"
    content_base64 = "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="
  }
}
