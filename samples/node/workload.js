// A small deterministic Node workload for `scripts/make-node-sample.sh`: each
// phase exercises a different kind of frame a flame graph should show
// (recursion, closures, a class method, JSON, regex and string work, and
// enough short-lived garbage to make the collector show up). The amount of
// work is fixed rather than timed, so every run does the same calls.

/** Deep self-recursion: the same frame repeated many times in one stack. */
function fibonacci(n) {
  return n < 2 ? n : fibonacci(n - 1) + fibonacci(n - 2);
}

/** A seeded linear congruential generator, so "random" data is the same every run. */
function makeRandom(seed) {
  let state = seed;
  return function nextRandom() {
    state = (state * 1103515245 + 12345) % 2147483648;
    return state / 2147483648;
  };
}

class Matrix {
  constructor(size, fill) {
    this.size = size;
    this.cells = Float64Array.from({ length: size * size }, fill);
  }

  multiply(other) {
    const n = this.size;
    const product = new Matrix(n, () => 0);
    for (let row = 0; row < n; row++) {
      for (let col = 0; col < n; col++) {
        let sum = 0;
        for (let k = 0; k < n; k++) sum += this.cells[row * n + k] * other.cells[k * n + col];
        product.cells[row * n + col] = sum;
      }
    }
    return product;
  }
}

function multiplyMatrices(rounds, random) {
  let matrix = new Matrix(60, random);
  const step = new Matrix(60, () => random() / 60);
  for (let i = 0; i < rounds; i++) matrix = matrix.multiply(step);
  return matrix.cells[0];
}

function makeLogLines(count, random) {
  const levels = ["INFO", "WARN", "ERROR"];
  const lines = [];
  for (let i = 0; i < count; i++) {
    const level = levels[Math.floor(random() * levels.length)];
    lines.push(`2024-01-${String((i % 28) + 1).padStart(2, "0")} ${level} request=${i} took=${Math.floor(random() * 900)}ms`);
  }
  return lines;
}

function parseLogLines(lines) {
  const pattern = /^(\d{4})-(\d{2})-(\d{2}) (INFO|WARN|ERROR) request=(\d+) took=(\d+)ms$/;
  let slow = 0;
  for (const line of lines) {
    const match = pattern.exec(line);
    if (match && Number(match[6]) > 500) slow++;
  }
  return slow;
}

function roundTripJson(lines) {
  const records = lines.map((line, index) => ({ index, words: line.split(" "), length: line.length }));
  const copy = JSON.parse(JSON.stringify(records));
  return copy.reduce((total, record) => total + record.words.length, 0);
}

function buildReport(lines) {
  return lines
    .filter((line) => line.includes("WARN"))
    .map((line) => line.toUpperCase().split("").reverse().join(""))
    .join("\n").length;
}

/** Many short-lived objects, so the profile has (garbage collector) samples. */
function churnGarbage(rounds) {
  let kept = 0;
  for (let i = 0; i < rounds; i++) {
    const batch = Array.from({ length: 2000 }, (_, j) => ({ id: j, tags: [String(j), String(i)] }));
    kept += batch[batch.length - 1].tags.length;
  }
  return kept;
}

function main() {
  const random = makeRandom(42);
  const lines = makeLogLines(20000, random);
  let checksum = 0;
  for (let round = 0; round < 5; round++) {
    checksum += fibonacci(26);
    checksum += multiplyMatrices(30, random);
    checksum += parseLogLines(lines);
    checksum += roundTripJson(lines);
    checksum += buildReport(lines);
    checksum += churnGarbage(300);
  }
  console.log(`checksum ${checksum.toFixed(3)}`);
}

main();
