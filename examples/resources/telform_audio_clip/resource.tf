resource "telform_audio_clip" "example" {
  account_id     = telform_account.example.id
  name           = "Calm piano"
  file_name      = "calm-piano.wav"
  content_base64 = "UklGRjQAAABXQVZFZm10IBAAAAABAAEAQB8AAIA+AAACABAAZGF0YRAAAAAAAAAAAAAAAAAAAAAAAAAA"
}
