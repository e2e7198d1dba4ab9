resource "telform_playlist" "example" {
  account_id = telform_account.example.id
  name       = "Welcome loop"
  clip_ids   = telform_audio_clip.example.id
}
