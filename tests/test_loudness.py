"""Calibrating a voice's level: any voice, however peaky, is brought to −16 LUFS under the ceiling."""

import math
import struct

import pytest

from audioguide.build.audio import measure_loudness, render_encoded, voice_level
from audioguide.engines import Speech, WordMark
from audioguide.languages import get_language
from audioguide.settings import AudioFormat
from audioguide.speech.prepare import Utterance

#: Renders audio through ffmpeg.
pytestmark = pytest.mark.slow


class PeakyVoice:
    """A voice no real engine can be made to give on demand: quiet speech-like tones with a click
    40 dB above their loudness in every second, far beyond what the limiter's probes used to span."""

    name, voice, rate, sample_rate, peak_margin, cheap_to_repeat = "peaky", "peaky", 155, 22050, 2.5, True

    def synthesize(self, text, marks=()):
        samples = []
        for n in range(self.sample_rate * max(2, len(text) // 15)):
            tone = 0.004 * math.sin(2 * math.pi * 180 * n / self.sample_rate) * (1 + math.sin(n / 900))
            samples.append(0.95 if n % self.sample_rate == 100 else tone)
        pcm = struct.pack(f"<{len(samples)}h", *(round(s * 32767) for s in samples))
        return Speech(pcm, self.sample_rate, [WordMark(0, len(text), 0)])


def test_a_voice_far_peakier_than_speech_is_calibrated_and_brought_to_the_target(tmp_path):
    voice = PeakyVoice()
    level = voice_level(voice, get_language("en").calibration_text)
    target = tmp_path / "peaky.mp3"
    utterance = Utterance(page="x" * 300, spoken="x" * 300, pause_ms=200, fragments=[("x" * 300, 0)])
    render_encoded(voice, [utterance], target, AudioFormat.MP3, "64k", level)
    heard = measure_loudness(target)
    assert -17 <= heard.integrated <= -15
    assert heard.true_peak <= -1.0
