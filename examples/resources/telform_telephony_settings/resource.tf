resource "telform_telephony_settings" "example" {
  account_id                  = telform_account.example.id
  extension_length            = 4
  default_outbound_number     = "+33180000001"
  hold_music_clip_id          = telform_audio_clip.example.id
  transcription_enabled       = true
  recording_enabled           = true
  parking_timeout_seconds     = 120
  inbound_fax_limit_per_hour  = 50
  outbound_fax_limit_per_hour = 20
}
