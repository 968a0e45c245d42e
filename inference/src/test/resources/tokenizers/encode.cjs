// Encodes phrases with @huggingface/tokenizers (Tokenizers.js, a JavaScript implementation of the HuggingFace
// tokenizers written apart from the Rust library Tessera runs): node encode.cjs <tokenizers.cjs> <tokenizer.json> <phrases.json>
// prints a JSON list of id lists, special tokens included, nothing padded or truncated.
const { Tokenizer } = require(process.argv[2]);
const fs = require('fs');
const tokenizer = new Tokenizer(JSON.parse(fs.readFileSync(process.argv[3], 'utf8')), {});
const phrases = JSON.parse(fs.readFileSync(process.argv[4], 'utf8'));
console.log(JSON.stringify(phrases.map(p => Array.from(tokenizer.encode(p).ids))));
