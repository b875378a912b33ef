export { writeScript, wordsPerSecond, estimateSpeechSec, promptTerms, SPEECH_FILL, type ScriptRequest } from './script-writer.js';
export { countWords, clampPace, BASE_WORDS_PER_MINUTE } from './speech-pace.js';
