"""A MiniMax WebSocket T2A client written with Debian's python3-websockets, independent of .NET.

Usage: minimax_ws_client.py WS_URL OUTPUT.mp3 (the key in MINIMAX_API_KEY). Sends a text a few characters at a
time, holding the last sentence back until the first audio has arrived, writes the audio to OUTPUT and prints a JSON
summary of what it saw.
"""
import asyncio
import json
import os
import sys

import websockets

TEXT = ("A second client, written in Python, speaks the same protocol. "
        "Its first sentence is heard before its last one is sent. "
        "That is the point of streaming text.")


async def main(url, output):
    headers = {"Authorization": "Bearer " + os.environ["MINIMAX_API_KEY"]}
    async with websockets.connect(url, extra_headers=headers, max_size=None) as ws:
        opening = [json.loads(await ws.recv())["event"]]
        await ws.send(json.dumps({
            "event": "task_start", "model": "speech-02-hd",
            "voice_setting": {"voice_id": "flite:kal16"},
            "audio_setting": {"format": "mp3", "sample_rate": 24000},
        }))
        opening.append(json.loads(await ws.recv())["event"])
        last_sentence = TEXT.rindex("That")
        for i in range(0, last_sentence, 5):
            await ws.send(json.dumps({"event": "task_continue", "text": TEXT[i:min(i + 5, last_sentence)]}))
        audio = bytearray()
        first = json.loads(await ws.recv())
        audio_before_last_text = first["event"] == "task_continued" and len(first["data"]["audio"]) > 0
        audio += bytes.fromhex(first["data"]["audio"])
        for i in range(last_sentence, len(TEXT), 5):
            await ws.send(json.dumps({"event": "task_continue", "text": TEXT[i:i + 5]}))
        await ws.send(json.dumps({"event": "task_finish"}))
        last = None
        while True:
            message = json.loads(await ws.recv())
            last = message["event"]
            if last == "task_continued":
                audio += bytes.fromhex(message["data"]["audio"])
            elif last in ("task_finished", "task_failed"):
                break
    with open(output, "wb") as f:
        f.write(audio)
    print(json.dumps({"opening": ",".join(opening), "audio_before_last_text": audio_before_last_text,
                      "last": last, "bytes": len(audio)}))


asyncio.run(main(sys.argv[1], sys.argv[2]))
