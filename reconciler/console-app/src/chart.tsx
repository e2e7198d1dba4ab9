import uPlot, { type AlignedData, type Options } from 'uplot';
import { useEffect, useRef } from 'preact/hooks';

export interface ChartProps {
  /** Accessible name; a text summary is rendered beside the canvas for screen readers. */
  readonly title: string;
  readonly summary: string;
  readonly data: AlignedData;
  /** uPlot options without width/height, which follow the container. */
  readonly options: Omit<Options, 'width' | 'height'>;
  readonly height?: number;
}

/** A uPlot chart that follows its container's width (1280 px desktop or a phone). */
export function Chart(props: ChartProps) {
  const box = useRef<HTMLDivElement>(null);
  useEffect(() => {
    const el = box.current;
    if (!el) return;
    const height = props.height ?? 220;
    const plot = new uPlot(
      { ...props.options, width: Math.max(el.clientWidth, 280), height },
      props.data,
      el,
    );
    const resize = new ResizeObserver(() =>
      plot.setSize({ width: Math.max(el.clientWidth, 280), height }),
    );
    resize.observe(el);
    return () => {
      resize.disconnect();
      plot.destroy();
    };
  }, [props.data, props.options, props.height]);
  return (
    <figure class="chart">
      <figcaption>{props.title}</figcaption>
      <div ref={box} role="img" aria-label={`${props.title}: ${props.summary}`} />
    </figure>
  );
}
