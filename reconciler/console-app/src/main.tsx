import 'uplot/dist/uPlot.min.css';
import './styles.css';
import { render } from 'preact';
import { App } from './app.js';
import { interceptConsoleLinks } from './location.js';

interceptConsoleLinks();
render(<App />, document.getElementById('app')!);
